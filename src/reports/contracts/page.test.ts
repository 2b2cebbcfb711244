// The contracts report as a manager sees it, in English and in Russian: the whole page for a month
// with two organisations' bills and a billable request, and one organisation's page, kept as
// files beside this test (only the session's CSRF token is masked), so a change to how the page
// is found, compiled or translated that alters a byte of it shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { logWork } from '../../../test/helpers/workflow.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { createTicket } from '../../actions/tickets.ts';
import { LOCALES } from '../../domain/vocabulary.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import type { Organization } from '../../store/organizations.ts';
import { updateUser } from '../../store/users.ts';

describe('the contracts report page', () => {
  let deps: TestDeps;
  let srv: TestServer;
  let client: Organization;

  beforeAll(async () => {
    deps = await makeTestDeps();
    srv = await startTestServer(deps);
    const now = deps.clock.now();
    const printers = await insertComponent(deps.db, { name: 'Printers' }, now);
    const servers = await insertComponent(deps.db, { name: 'Servers' }, now);
    client = await insertOrganization(deps.db, {
      name: 'Client Ltd', monthlyFeeCents: 6_000_000, currency: 'RUB', includedMinutes: 1200, hourlyRateCents: 250_000, coveredComponentIds: [printers.id],
    }, now, ['client.example']);
    await insertOrganization(deps.db, { name: 'Other & Co', monthlyFeeCents: 50_000, currency: 'EUR', includedMinutes: 600 }, now, ['other.example']);
    const agent = await addUser(srv.services, 'agent');
    for (const locale of LOCALES) {
      const manager = await addUser(srv.services, 'manager', `manager-${locale}@desk.test`, `Manager ${locale}`);
      await updateUser(deps.db, manager.id, { locale }, now);
    }
    const by = { kind: 'user', user: agent } as const;
    const covered = await createTicket(srv.services.ctx, by, { subject: 'Printer', body: 'x', requesterEmail: 'anna@client.example', componentId: printers.id });
    const outside = await createTicket(srv.services.ctx, by, { subject: 'Website <down>', body: 'x', requesterEmail: 'anna@client.example', componentId: servers.id });
    await logWork(srv.services.ctx, agent, covered.id, 21 * 60);
    await logWork(srv.services.ctx, agent, outside.id, 75);
  });
  afterAll(async () => {
    await srv?.close();
    deps?.close();
  });

  const page = async (locale: string, query: string) => {
    const b = new Browser(srv.url);
    await b.login(`manager-${locale}@desk.test`, TEST_PASSWORD);
    const res = await b.get(`/reports/contracts${query}`);
    expect(res.status).toBe(200);
    return res.text.replaceAll(b.csrf, 'CSRF');
  };

  for (const locale of LOCALES) {
    it(`renders a month of every organisation in ${locale}`, async () => {
      await expect(await page(locale, '?month=2026-11')).toMatchFileSnapshot(`./__snapshots__/page.${locale}.html`);
    });

    it(`renders one organisation's month in ${locale}`, async () => {
      await expect(await page(locale, `?month=2026-11&org=${client.id}`)).toMatchFileSnapshot(`./__snapshots__/page-org.${locale}.html`);
    });
  }
});
