import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { buildServices, type Services } from '../services.ts';
import { createUser } from './users.ts';
import { addNote, assignTicket, changeStatus, createTicket, replyToTicket } from './tickets.ts';
import { listAttachmentsForMessages, listTicketMessages } from '../store/messages.ts';
import { getTicket, listParticipants } from '../store/tickets.ts';
import { AppError } from '../domain/errors.ts';
import type { User } from '../store/users.ts';

describe('ticket actions', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Agent', role: 'agent', password: 'long enough password' });
  });
  afterEach(() => deps.close());

  const actor = () => ({ kind: 'user' as const, user: agent });

  it('creates a ticket for a new requester, and refuses an incomplete one naming the field', async () => {
    const t = await createTicket(s.ctx, actor(), { subject: 'Mouse broken', body: 'Left button', requesterEmail: 'Bob@Client.example' });
    expect(t.number).toBe(1);
    expect(t.status).toBe('new');
    try {
      await createTicket(s.ctx, actor(), { subject: '', body: 'x', requesterEmail: 'not-an-email' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).details.fields).toMatchObject({ subject: 'Enter a subject', requesterEmail: expect.any(String) });
    }
  });

  it('stores a reply as queued with attachments and CC participants, and runs the reply hooks in the transaction', async () => {
    const seen: string[] = [];
    s.ctx.hooks.ticketChanged.push((_tx, change) => void seen.push(change.type));
    const t = await createTicket(s.ctx, actor(), { subject: 'VPN', body: 'down', requesterEmail: 'bob@client.example' });
    const m = await replyToTicket(s.ctx, actor(), { ticketId: t.id, body: 'Restart the client.', cc: ['Boss@Client.example'], attachments: [{ filename: 'howto.txt', contentType: 'text/plain', content: Buffer.from('steps') }] });
    expect(m).toMatchObject({ kind: 'reply', direction: 'out', deliveryStatus: 'queued', ccAddresses: ['boss@client.example'] });
    expect((await listAttachmentsForMessages(deps.db, [m.id]))[0]).toMatchObject({ filename: 'howto.txt', size: 5 });
    expect(await listParticipants(deps.db, t.id)).toEqual(['boss@client.example']);
    expect((await getTicket(deps.db, t.id)).firstRespondedAt).toBe(deps.clock.now());
    expect(seen).toEqual(['created', 'reply']);
  });

  it('rolls the whole change back when a hook refuses it', async () => {
    const t = await createTicket(s.ctx, actor(), { subject: 'VPN', body: 'down', requesterEmail: 'bob@client.example' });
    s.ctx.hooks.validateChange.push((_tx, change) => {
      if (change.type === 'status' && change.to === 'resolved') throw new AppError('transition_refused', 'Log time first');
    });
    await expect(changeStatus(s.ctx, actor(), { ticketId: t.id, status: 'resolved' })).rejects.toThrow('Log time first');
    expect((await getTicket(deps.db, t.id)).status).toBe('new');
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.kind === 'event')).toHaveLength(0);
    s.ctx.hooks.ticketChanged.push(() => {
      throw new Error('disk on fire');
    });
    await expect(addNote(s.ctx, actor(), { ticketId: t.id, body: 'note' })).rejects.toThrow('disk on fire');
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.kind === 'note')).toHaveLength(0);
  });

  it('assigning a new ticket moves it to assigned and records who did it', async () => {
    const t = await createTicket(s.ctx, actor(), { subject: 'VPN', body: 'down', requesterEmail: 'bob@client.example' });
    const a = await assignTicket(s.ctx, actor(), { ticketId: t.id, assigneeId: agent.id });
    expect(a).toMatchObject({ assigneeId: agent.id, status: 'assigned' });
    await expect(assignTicket(s.ctx, actor(), { ticketId: t.id, assigneeId: 999 })).rejects.toThrow(/active agent/);
  });
});
