// The fast single-table helpers must read and write exactly what drizzle reads and writes:
// defaults, JSON and boolean columns, nulls, generated columns, undefined left out of updates.
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { components, contacts, messages, tickets } from '../db/schema.ts';
import { isUniqueViolation } from '../db/client.ts';
import { findJoinedRow, findRow, insertRow, insertRowOnly, listRows, updateRows } from './rows.ts';

describe('rows', () => {
  let deps: TestDeps;
  let ticketId: number;
  beforeEach(async () => {
    deps = await makeTestDeps();
    ticketId = (await deps.db.insert(tickets).values({ number: 1, subject: 'Printer', channel: 'email', lastActivityAt: 5, createdAt: 5, updatedAt: 5 }).returning().get()).id;
  });
  afterEach(() => deps.close());

  const drizzleMessage = async (id: number) => await deps.db.select().from(messages).where(eq(messages.id, id)).get();

  it('inserts like drizzle: JS defaults, JSON, booleans, nulls and left-out columns', async () => {
    const values = {
      ticketId, kind: 'reply' as const, direction: 'in' as const, channel: 'email' as const,
      toAddresses: ['a@x.example', 'b@x.example'], ccAddresses: null, references: [], eventData: { nested: { n: 1 }, s: 'é' },
      subject: 'Привет', createdAt: 7,
    };
    const fast = await insertRow(deps.db, messages, values);
    const slow = await deps.db.insert(messages).values(values).returning().get();
    expect({ ...fast, id: 0 }).toEqual({ ...slow, id: 0 });
    expect(fast).toEqual(await drizzleMessage(fast.id));
    expect(fast).toMatchObject({ bodyText: '', isAutoReply: false, ccAddresses: null, references: [], deliveryStatus: null });
    // the stored text is what drizzle stores: SQL NULL for null JSON, '[]' for an empty list
    const raw = await deps.db.get('select cc_addresses, "references", is_auto_reply from messages where id = ?', fast.id);
    expect(raw).toEqual({ cc_addresses: null, references: '[]', is_auto_reply: 0 });
  });

  it('reads rows like drizzle, generated columns included', async () => {
    expect(await findRow(deps.db, tickets, 'where id = ?', ticketId)).toEqual(await deps.db.select().from(tickets).where(eq(tickets.id, ticketId)).get());
    expect(await findRow(deps.db, tickets, 'where id = ?', ticketId)).toMatchObject({ isOpen: true, priorityOrder: 2, status: 'new', billable: false });
    expect(await findRow(deps.db, tickets, 'where id = ?', ticketId + 1)).toBeUndefined();
    await insertRow(deps.db, components, { name: 'B', keywords: ['x'], createdAt: 1, updatedAt: 1 });
    await insertRow(deps.db, components, { name: 'A', active: false, createdAt: 1, updatedAt: 1 });
    expect(await listRows(deps.db, components, 'order by name')).toEqual(await deps.db.select().from(components).orderBy(components.name).all());
    expect((await listRows(deps.db, components, 'where active = 1')).map((c) => c.name)).toEqual(['B']);
  });

  it('reads a row of two tables together, each half as findRow reads it, nothing when the join finds nothing', async () => {
    const m = await insertRow(deps.db, messages, { ticketId, kind: 'reply', direction: 'in', channel: 'email', createdAt: 3, toAddresses: ['a@x.example'], isAutoReply: true });
    const both = await findJoinedRow(deps.db, messages, tickets, 'join "tickets" b on b.id = a.ticket_id where a.id = ?', m.id);
    expect(both).toEqual([await findRow(deps.db, messages, 'where id = ?', m.id), await findRow(deps.db, tickets, 'where id = ?', ticketId)]);
    expect(both?.[0]).toMatchObject({ toAddresses: ['a@x.example'], isAutoReply: true });
    expect(both?.[1]).toMatchObject({ subject: 'Printer', isOpen: true });
    expect(await findJoinedRow(deps.db, messages, tickets, 'join "tickets" b on b.id = a.ticket_id and b.status = ? where a.id = ?', 'closed', m.id)).toBeUndefined();
  });

  it('updates only the given columns, with their codecs, and refuses SQL values', async () => {
    const m = await insertRow(deps.db, messages, { ticketId, kind: 'event', direction: 'internal', channel: 'email', createdAt: 1, eventData: { a: 1 } });
    expect(await updateRows(deps.db, messages, { eventData: { b: [2] }, isAutoReply: true, subject: undefined, newText: null }, 'where id = ?', m.id)).toBe(1);
    expect(await drizzleMessage(m.id)).toMatchObject({ eventData: { b: [2] }, isAutoReply: true, subject: null, kind: 'event' });
    expect(await updateRows(deps.db, messages, { subject: 'x' }, 'where id = ?', -1)).toBe(0);
    await expect(updateRows(deps.db, tickets, { subject: deps.db.select().from(tickets).getSQL() as never }, 'where id = ?', ticketId)).rejects.toThrow(/SQL expression/);
  });

  it('inserts without reading back, optionally doing nothing on a conflict', async () => {
    const c = await insertRow(deps.db, contacts, { name: 'Anna', createdAt: 1, updatedAt: 1 });
    expect(c).toMatchObject({ name: 'Anna', organizationId: null, locale: null });
    const id = await insertRowOnly(deps.db, contacts, { name: 'Boris', createdAt: 1, updatedAt: 1 });
    expect((await findRow(deps.db, contacts, 'where id = ?', id))?.name).toBe('Boris');
    expect(await insertRowOnly(deps.db, contacts, { id, name: 'again', createdAt: 1, updatedAt: 1 }, 'on conflict do nothing')).toBe(0);
    const err = await insertRowOnly(deps.db, contacts, { id, name: 'again', createdAt: 1, updatedAt: 1 }).catch((e: unknown) => e);
    expect(isUniqueViolation(err, 'contacts', 'id')).toBe(true);
  });
});
