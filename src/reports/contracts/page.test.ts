// The contracts report as a manager sees it, in English and in Russian: the whole page for a month
// with two organisations' bills and a billable request, and one organisation's page, kept as
// files beside this test (only the session's CSRF token is masked), so a change to how the page
// is found, compiled or translated that alters a byte of it shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { logWork } from '../../../test/helpers/workflow.ts';
import { addUser, Browser, startTestServer, TEST_PASSWORD, type TestServer } from '../../../test/helpers/web.ts';
import { expectDownloadsMatchApi } from '../../../test/helpers/report-downloads.ts';
import { createTicket } from '../../actions/tickets.ts';
import { LOCALES } from '../../domain/vocabulary.ts';
import { insertComponent } from '../../store/components.ts';
import { insertOrganization } from '../../store/organizations.ts';
import type { Organization } from '../../store/organizations.ts';
import { listUsers, updateUser } from '../../store/users.ts';
import { createApiToken } from '../../actions/api-tokens.ts';
import { readXlsx } from '../../../test/helpers/xlsx.ts';

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

  it('hands accounting the month’s bills as CSV and XLSX, and the API the same numbers', async () => {
    const b = new Browser(srv.url);
    await b.login('manager-en@desk.test', TEST_PASSWORD);
    // Client Ltd: 21 h covered against 20 h included (1 h over at 2 500 RUB), 1 h 15 min out of scope, fee 60 000 RUB
    const csv = (await b.get('/reports/contracts.csv?month=2026-11')).text.trim().split('\n');
    expect(csv[0]).toBe('Organisation,Currency,"Included, h","Used (covered), h","Used, % of included","Over the included time, h",Overage cost,"Out of scope, h",Out-of-scope cost,Monthly fee,Total');
    expect(csv[1]).toBe('Client Ltd,RUB,20,21,105,1,2500,1.25,3125,60000,65625');
    expect(csv[2]).toBe('Other & Co,EUR,10,0,0,0,0,0,0,500,500');
    expect(csv).toHaveLength(3);
    expect((await b.get(`/reports/contracts.csv?month=2026-11&org=${client.id}`)).text.trim().split('\n')).toHaveLength(2);
    // the page offers them with its filters
    expect((await b.get(`/reports/contracts?month=2026-11&org=${client.id}`)).text).toContain(`href="/reports/contracts.csv?month&#x3D;2026-11&amp;org&#x3D;${client.id}"`);
    const ru = new Browser(srv.url);
    await ru.login('manager-ru@desk.test', TEST_PASSWORD);
    const rows = await readXlsx((await ru.getBytes('/reports/contracts.xlsx?month=2026-11')).body);
    expect(rows[0].slice(0, 3)).toEqual(['Организация', 'Валюта', 'Включено, ч']);
    expect(rows[1]).toEqual(['Client Ltd', 'RUB', 20, 21, 105, 1, 2500, 1.25, 3125, 60000, 65625]);
    const manager = (await listUsers(deps.db)).find((u) => u.email === 'manager-en@desk.test')!;
    const { token } = await createApiToken(srv.services.ctx, manager, { name: 'accounting' });
    const res = await fetch(`${srv.url}/api/v1/reports/contracts?month=2026-11`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { rows: Record<string, unknown>[] };
    expect(json.rows[0]).toEqual({
      organization: 'Client Ltd', currency: 'RUB', included: 1200, used: 1260, usedPercent: 105, overage: 60, overageCost: 250_000,
      outOfScope: 75, outOfScopeCost: 312_500, fee: 6_000_000, total: 6_562_500,
    });
    for (const query of ['?month=2026-11', `?month=2026-11&org=${client.id}`]) await expectDownloadsMatchApi({ url: srv.url, token, browser: b, report: 'contracts', query });
  });

  for (const locale of LOCALES) {
    it(`renders a month of every organisation in ${locale}`, async () => {
      await expect(await page(locale, '?month=2026-11')).toMatchFileSnapshot(`./__snapshots__/page.${locale}.html`);
    });

    it(`renders one organisation's month in ${locale}`, async () => {
      await expect(await page(locale, `?month=2026-11&org=${client.id}`)).toMatchFileSnapshot(`./__snapshots__/page-org.${locale}.html`);
    });
  }
});
