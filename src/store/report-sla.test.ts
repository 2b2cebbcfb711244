// The SLA and response-time reports read a year of tickets a page at a time: every ticket of the
// span once, in order of creation, also when many were created in the same millisecond. The
// reports' groups are named by one lookup of names by id.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import type { Db } from '../db/client.ts';
import { insertComponent } from './components.ts';
import { insertOrganization } from './organizations.ts';
import { eachTicketCreatedIn, namesByIds } from './report-sla.ts';
import { insertTicket } from './tickets.ts';
import { insertUser } from './users.ts';

describe('reading the tickets created in a span, a page at a time', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it('hands over every ticket of the span once, in order of creation, across pages and ties', async () => {
    const t0 = Date.parse('2026-11-02T09:00:00Z');
    // 23 tickets at 9 instants: runs of tickets created at once straddle the pages; one before and one at the span's end
    const instants = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 3, 4, 4, 5, 5, 5, 6, 7, 7, 7, 8, 8, 8].map((k) => t0 + k * 60_000);
    const ids: number[] = [];
    for (const at of [...instants.slice(0, 11).reverse(), ...instants.slice(11)]) ids.push((await insertTicket(deps.db, { subject: 'x', channel: 'email' }, at)).id);
    await insertTicket(deps.db, { subject: 'before', channel: 'email' }, t0 - 1);
    await insertTicket(deps.db, { subject: 'after', channel: 'email' }, t0 + 9 * 60_000);
    const expected = ids.map((id, i) => ({ id, at: [...instants.slice(0, 11).reverse(), ...instants.slice(11)][i] }))
      .sort((a, b) => a.at - b.at || a.id - b.id).map((x) => x.id);
    for (const page of [1, 2, 3, 4, 7, 23, 100]) {
      const got: number[] = [];
      const sizes: number[] = [];
      await eachTicketCreatedIn(deps.db, { from: t0, to: t0 + 9 * 60_000 }, {}, { clock: false, page }, (rows) => {
        sizes.push(rows.length);
        got.push(...rows.map((r) => r.id));
      });
      expect(got, `page of ${page}`).toEqual(expected);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(page);
    }
  });
});

describe('names by id', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it('names organisations, components and users from their own tables, each id once, unknown ids left out', async () => {
    const now = deps.clock.now();
    const org = await insertOrganization(deps.db, { name: 'Acme' }, now);
    const comp = await insertComponent(deps.db, { name: 'Printers' }, now);
    const user = await insertUser(deps.db, { email: 'ada@example.org', name: 'Ada', role: 'agent', passwordHash: null }, now);
    expect(await namesByIds(deps.db, 'organization', [org.id, org.id, 999_999])).toEqual(new Map([[org.id, 'Acme']]));
    expect(await namesByIds(deps.db, 'component', [comp.id])).toEqual(new Map([[comp.id, 'Printers']]));
    expect(await namesByIds(deps.db, 'user', [user.id])).toEqual(new Map([[user.id, 'Ada']]));
  });

  it('reads more ids than one statement may bind, and no ids without touching the database', async () => {
    const org = await insertOrganization(deps.db, { name: 'Acme' }, deps.clock.now());
    const many = [...Array.from({ length: 2500 }, (_, i) => 1_000_000 + i), org.id];
    expect(await namesByIds(deps.db, 'organization', many)).toEqual(new Map([[org.id, 'Acme']]));
    // a database that is not there: any query would throw
    expect(await namesByIds({} as Db, 'user', [])).toEqual(new Map());
  });
});
