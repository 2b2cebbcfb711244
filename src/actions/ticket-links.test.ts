import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person, ticket } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../store/messages.ts';
import { getTicket, listParticipants, listTicketLinks } from '../store/tickets.ts';
import type { TicketChange } from './context.ts';
import { linkTickets, mergeTickets, unlinkTickets } from './ticket-links.ts';
import { addNote, assignTicket, replyToTicket } from './tickets.ts';
import { logWork } from './worklog.ts';
import { AppError } from '../domain/errors.ts';

describe('links and merging', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('links and unlinks related tickets both ways', async () => {
    const a = await person(s, 'Agent');
    const [t1, t2] = [await ticket(s, a), await ticket(s, a)];
    const as = { kind: 'user' as const, user: a };
    await linkTickets(s.ctx, as, { ticketId: t1.id, otherNumber: t2.number });
    await linkTickets(s.ctx, as, { ticketId: t2.id, otherNumber: t1.number }); // already linked: nothing new
    expect(await listTicketLinks(deps.db, t1.id)).toEqual([{ ticketId: t2.id, kind: 'related', direction: 'to' }]);
    expect(await listTicketLinks(deps.db, t2.id)).toEqual([{ ticketId: t1.id, kind: 'related', direction: 'from' }]);
    await expect(linkTickets(s.ctx, as, { ticketId: t1.id, otherNumber: t1.number })).rejects.toThrow(/another ticket/);
    await expect(linkTickets(s.ctx, as, { ticketId: t1.id, otherNumber: 404 })).rejects.toThrow(/no ticket #404/);
    await unlinkTickets(s.ctx, as, { ticketId: t2.id, otherTicketId: t1.id });
    expect(await listTicketLinks(deps.db, t1.id)).toEqual([]);
  });

  it('merges a duplicate: conversation, attachments and time move, the source closes, its requester stays in the loop', async () => {
    const a = await person(s, 'Agent');
    const as = { kind: 'user' as const, user: a };
    const target = await ticket(s, a, { requesterEmail: 'anna@client.example' });
    const source = await ticket(s, a, { requesterEmail: 'boris@client.example', subject: 'Printer again' });
    await addNote(s.ctx, as, { ticketId: source.id, body: 'Same printer as the other ticket' });
    const reply = await replyToTicket(s.ctx, as, { ticketId: source.id, body: 'Looking', attachments: [{ filename: 'log.txt', contentType: 'text/plain', content: Buffer.from('x') }] });
    await logWork(s.ctx, as, { ticketId: source.id, minutes: 25 });
    const seen: TicketChange[] = [];
    s.ctx.hooks.ticketChanged.push((_tx, c) => void seen.push(c));
    // a workflow rule that refuses closing without time must not block merging
    s.ctx.hooks.validateChange.push((_tx, c) => {
      if (c.type === 'status' && c.to === 'closed') throw new AppError('transition_refused', 'no');
    });
    await mergeTickets(s.ctx, as, { sourceId: source.id, targetNumber: target.number, confirm: true });
    const moved = (await listTicketMessages(deps.db, target.id)).filter((m) => m.kind !== 'event');
    expect(moved.map((m) => m.bodyText)).toEqual(['Every page jams.', 'Every page jams.', 'Same printer as the other ticket', 'Looking']);
    expect((await listAttachmentsForMessages(deps.db, [reply.id]))[0].filename).toBe('log.txt');
    expect((await getTicket(deps.db, target.id)).loggedMinutes).toBe(25);
    expect(await getTicket(deps.db, source.id)).toMatchObject({ status: 'closed', mergedIntoId: target.id, loggedMinutes: 0 });
    expect(await listParticipants(deps.db, target.id)).toContain('boris@client.example');
    expect(await listTicketLinks(deps.db, source.id)).toEqual([{ ticketId: target.id, kind: 'merged', direction: 'to' }]);
    expect(seen).toMatchObject([{ type: 'status', to: 'closed', reason: 'merged' }]);
    expect((await listTicketMessages(deps.db, source.id)).map((m) => m.eventType)).toContain('merged_into');
    await expect(mergeTickets(s.ctx, as, { sourceId: source.id, targetNumber: target.number, confirm: true })).rejects.toThrow(/already merged/);
  });

  it('asks before merging tickets of different requesters, says who sees what, and changes nothing until confirmed', async () => {
    const a = await person(s, 'Agent');
    const as = { kind: 'user' as const, user: a };
    const target = await ticket(s, a, { requesterEmail: 'anna@client.example', requesterName: 'Anna Petrova' });
    const source = await ticket(s, a, { requesterEmail: 'ivan@other.example', requesterName: 'Ivan Petrov' });
    let refusal: AppError | undefined;
    try {
      await mergeTickets(s.ctx, as, { sourceId: source.id, targetNumber: target.number });
    } catch (err) {
      refusal = err as AppError;
    }
    expect(refusal).toMatchObject({ code: 'confirmation_required' });
    expect(refusal!.details.who_sees_what).toEqual([
      `Ivan Petrov (requester of #${source.number}) will become a participant of #${target.number} and will see its whole conversation`,
      `Anna Petrova (requester of #${target.number}) will see the conversation of #${source.number}`,
    ]);
    expect(await getTicket(deps.db, source.id)).toMatchObject({ status: 'new', mergedIntoId: null });
    expect(await listParticipants(deps.db, target.id)).toEqual([]);
    await mergeTickets(s.ctx, as, { sourceId: source.id, targetNumber: target.number, confirm: true });
    expect(await getTicket(deps.db, source.id)).toMatchObject({ status: 'closed', mergedIntoId: target.id });
    expect(await listParticipants(deps.db, target.id)).toEqual(['ivan@other.example']);
  });

  it('merges tickets of the same requester without asking', async () => {
    const a = await person(s, 'Agent');
    const [target, source] = [await ticket(s, a), await ticket(s, a)];
    await mergeTickets(s.ctx, { kind: 'user', user: a }, { sourceId: source.id, targetNumber: target.number });
    expect((await getTicket(deps.db, source.id)).mergedIntoId).toBe(target.id);
  });

  it('refuses an agent linking or merging a colleague\'s ticket, and leaves it as it was', async () => {
    const a = await person(s, 'Agent A');
    const b = await person(s, 'Agent B');
    const [theirs, mine] = [await ticket(s, a), await ticket(s, a)];
    await assignTicket(s.ctx, { kind: 'system' }, { ticketId: theirs.id, assigneeId: b.id });
    const as = { kind: 'user' as const, user: a };
    await expect(mergeTickets(s.ctx, as, { sourceId: theirs.id, targetNumber: mine.number, confirm: true })).rejects.toThrow(expect.objectContaining({ code: 'not_your_ticket' }));
    await expect(linkTickets(s.ctx, as, { ticketId: theirs.id, otherNumber: mine.number })).rejects.toThrow(expect.objectContaining({ code: 'not_your_ticket' }));
    expect(await getTicket(deps.db, theirs.id)).toMatchObject({ status: 'assigned', mergedIntoId: null });
    expect(await listTicketLinks(deps.db, theirs.id)).toEqual([]);
    // their ticket may receive: merging one's own into it is allowed
    await mergeTickets(s.ctx, as, { sourceId: mine.id, targetNumber: theirs.number });
    expect((await getTicket(deps.db, mine.id)).mergedIntoId).toBe(theirs.id);
  });
});
