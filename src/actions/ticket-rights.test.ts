import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person, ticket } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { listTicketMessages } from '../store/messages.ts';
import { getTicket, type Ticket } from '../store/tickets.ts';
import type { User } from '../store/users.ts';
import { assignFreeSpecialist } from './assignment.ts';
import { updateTicketFields, updateTicketProperties } from './ticket-fields.ts';
import { addNote, assignTicket, changeStatus, replyToTicket } from './tickets.ts';
import { escalateTicket, resolveTicket } from './resolution.ts';
import { logWork } from './worklog.ts';

const refused = expect.objectContaining({ code: 'not_your_ticket' });

describe('agents\' rights on tickets, in the actions', () => {
  let deps: TestDeps;
  let s: Services;
  let a: User;
  let b: User;
  let theirs: Ticket;
  const as = () => ({ kind: 'user' as const, user: a });
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    a = await person(s, 'Agent A');
    b = await person(s, 'Agent B');
    theirs = await ticket(s, a);
    await assignTicket(s.ctx, { kind: 'system' }, { ticketId: theirs.id, assigneeId: b.id });
  });
  afterEach(() => deps.close());

  it('refuses an agent assigning, changing the status or the fields of a colleague\'s ticket, and leaves it as it was', async () => {
    const before = await getTicket(deps.db, theirs.id);
    await expect(assignTicket(s.ctx, as(), { ticketId: theirs.id, assigneeId: a.id })).rejects.toThrow(refused);
    await expect(changeStatus(s.ctx, as(), { ticketId: theirs.id, status: 'closed' })).rejects.toThrow(refused);
    await expect(updateTicketFields(s.ctx, as(), { ticketId: theirs.id, priority: 'urgent' })).rejects.toThrow(refused);
    await expect(updateTicketProperties(s.ctx, as(), { ticketId: theirs.id, assigneeId: null, status: 'closed' })).rejects.toThrow(refused);
    await expect(resolveTicket(s.ctx, as(), { ticketId: theirs.id, note: 'Done' })).rejects.toThrow(refused);
    await expect(assignFreeSpecialist(s.ctx, as(), { ticketId: theirs.id })).rejects.toThrow(refused);
    expect(await getTicket(deps.db, theirs.id)).toEqual(before);
  });

  it('says whose ticket it is and what the agent may still do', async () => {
    await expect(changeStatus(s.ctx, as(), { ticketId: theirs.id, status: 'closed' })).rejects.toThrow(/assigned to Agent B.*reply, add a note, log time or escalate/);
  });

  it('leaves replies, notes, worklogs and escalation open to every agent', async () => {
    await replyToTicket(s.ctx, as(), { ticketId: theirs.id, body: 'Try the other tray' });
    await addNote(s.ctx, as(), { ticketId: theirs.id, body: 'Seen this before' });
    await logWork(s.ctx, as(), { ticketId: theirs.id, minutes: 5 });
    await escalateTicket(s.ctx, { kind: 'agent', actor: as() }, { ticketId: theirs.id, reason: 'Waiting too long' });
    expect((await listTicketMessages(deps.db, theirs.id)).filter((m) => m.kind !== 'event')).toHaveLength(4);
  });

  it('lets an agent take and triage an unassigned ticket, and hand their own to a colleague with a status in one form', async () => {
    const free = await ticket(s, a);
    await updateTicketFields(s.ctx, as(), { ticketId: free.id, priority: 'high' });
    await assignTicket(s.ctx, as(), { ticketId: free.id, assigneeId: a.id });
    await changeStatus(s.ctx, as(), { ticketId: free.id, status: 'in_progress' });
    // the rights are judged on the ticket as it was: still one's own when the form is sent
    const after = await updateTicketProperties(s.ctx, as(), { ticketId: free.id, assigneeId: b.id, status: 'pending_requester', priority: 'low' });
    expect(after).toMatchObject({ assigneeId: b.id, status: 'pending_requester', priority: 'low' });
    await expect(changeStatus(s.ctx, as(), { ticketId: free.id, status: 'in_progress' })).rejects.toThrow(refused);
  });

  it('lets an agent who manages a component change its tickets, and managers change any', async () => {
    const printers = await component(s, 'Printers', [a, b], { managerId: a.id });
    await updateTicketFields(s.ctx, { kind: 'user', user: b }, { ticketId: theirs.id, componentId: printers.id });
    await changeStatus(s.ctx, as(), { ticketId: theirs.id, status: 'in_progress' });
    const boss = await person(s, 'Boss', 'manager');
    await changeStatus(s.ctx, { kind: 'user', user: boss }, { ticketId: theirs.id, status: 'pending_requester' });
    expect((await getTicket(deps.db, theirs.id)).status).toBe('pending_requester');
  });
});
