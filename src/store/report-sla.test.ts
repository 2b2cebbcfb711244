// The SLA and response-time reports read a year of tickets a page at a time: every ticket of the
// span once, in order of creation, also when many were created in the same millisecond.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { eachTicketCreatedIn } from './report-sla.ts';
import { insertTicket } from './tickets.ts';

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
