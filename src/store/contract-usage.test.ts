import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { listBillableTickets } from './contract-usage.ts';
import { insertOrganization } from './organizations.ts';
import { insertTicket } from './tickets.ts';
import { insertWorklog } from './worklogs.ts';

describe('contract usage', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it('gives each billable ticket the time logged on that ticket, not on others', async () => {
    const now = deps.clock.now();
    const org = await insertOrganization(deps.db, { name: 'Client' }, now);
    const ticket = async (subject: string) => await insertTicket(deps.db, { subject, channel: 'email', organizationId: org.id, billable: true }, now);
    const a = await ticket('Printer');
    const b = await ticket('VPN');
    // worklog ids that collide with ticket ids must not matter
    for (const [t, minutes] of [[a, 30], [b, 45], [a, 15], [b, 120]] as const) await insertWorklog(deps.db, { ticketId: t.id, minutes, workedAt: now, createdAt: now });
    const rows = await listBillableTickets(deps.db, { organizationId: org.id });
    expect(rows.map((r) => [r.subject, r.minutes])).toEqual([['VPN', 165], ['Printer', 45]]);
  });
});
