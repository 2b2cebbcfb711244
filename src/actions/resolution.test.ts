// The workflow through the actions: real SQLite, real hooks (as buildServices wires them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { signMail, useMailDomain } from '../../test/helpers/mail-auth.ts';
import { logWork, rawMail, seedSla } from '../../test/helpers/workflow.ts';
import { buildServices, type Services } from '../services.ts';
import { createUser } from './users.ts';
import { assignTicket, changeStatus, createTicket, replyToTicket } from './tickets.ts';
import { escalateTicket, handleComplaint, rejectResolution, resolveTicket, setBillable } from './resolution.ts';
import { autoCloseResolved } from './sla-checks.ts';
import { AppError } from '../domain/errors.ts';
import { getTicket, updateTicket } from '../store/tickets.ts';
import { listTicketMessages } from '../store/messages.ts';
import { listTicketEvents } from '../store/events.ts';
import { insertOrganization } from '../store/organizations.ts';
import { insertComponent } from '../store/components.ts';
import { updateWorkflowRules } from '../store/workflow-settings.ts';
import { defaultRules, RECOMMENDED_REQUIREMENTS } from '../domain/transitions.ts';
import { outbox } from '../db/schema.ts';
import type { User } from '../store/users.ts';
import { readWorkflowState } from '../store/workflow-state.ts';

const Z = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('workflow actions and hooks', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  let manager: User;
  beforeEach(async () => {
    deps = await makeTestDeps(); // the clock starts on Monday 2 Nov 2026, 12:00 in Moscow
    s = buildServices(deps);
    agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'long enough password' });
    manager = await createUser(s.ctx, { email: 'manager@desk.test', name: 'Maria Manager', role: 'manager', password: 'long enough password', locale: 'ru' });
    await createUser(s.ctx, { email: 'boss@desk.test', name: 'Boris Boss', role: 'manager', password: 'long enough password' });
  });
  afterEach(() => deps.close());

  const as = (user: User) => ({ kind: 'user' as const, user });
  const outboxRows = async () => await deps.db.select().from(outbox).all();
  const newTicket = async (over: Record<string, unknown> = {}) =>
    await createTicket(s.ctx, as(agent), { subject: 'VPN is down', body: 'Cannot connect since the morning', requesterEmail: 'anna@client.example', ...over });
  const printers = async () => await insertComponent(deps.db, { name: 'Printers', managerId: manager.id }, deps.clock.now());

  it('stores due times in business hours, pauses while waiting on the requester and resumes with the time left', async () => {
    await seedSla(s.ctx);
    const t = await newTicket();
    expect(t.firstResponseDueAt).toBe(Z('2026-11-02T10:00:00Z')); // 13:00 MSK
    expect(t.resolutionDueAt).toBe(Z('2026-11-03T08:00:00Z')); // 6 h on Monday + 2 h on Tuesday → 11:00 MSK
    expect(t.slaNextEventAt).toBe(Z('2026-11-02T09:48:00Z')); // the first-response warning at 80 %

    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'in_progress' });
    deps.clock.set(Z('2026-11-02T09:30:00Z'));
    await replyToTicket(s.ctx, as(agent), { ticketId: t.id, body: 'Which office are you in?' });
    deps.clock.set(Z('2026-11-02T10:00:00Z')); // 13:00 MSK: one business hour used
    await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'pending_requester' });
    const paused = await getTicket(deps.db, t.id);
    expect(paused).toMatchObject({ slaPausedAt: Z('2026-11-02T10:00:00Z'), resolutionDueAt: null, firstRespondedAt: Z('2026-11-02T09:30:00Z') });
    expect(readWorkflowState(paused).clock?.targets.firstResponse).toMatchObject({ metAt: Z('2026-11-02T09:30:00Z'), late: false });

    deps.clock.set(Z('2026-11-03T07:00:00Z')); // Tuesday 10:00 MSK: 7 h are left
    await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'in_progress' });
    const resumed = await getTicket(deps.db, t.id);
    expect(resumed).toMatchObject({ slaPausedAt: null, resolutionDueAt: Z('2026-11-03T14:00:00Z') });
  });

  it('runs the next-response clock from the requester’s mail to the agent’s answer', async () => {
    const { policy } = await seedSla(s.ctx);
    await deps.db.run('update sla_targets set next_response_minutes = 120 where policy_id = ?', policy.id);
    const first = await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Anna <anna@client.example>', subject: 'VPN down', body: 'Cannot connect' }) });
    const t = await getTicket(deps.db, first.ticketId!);
    expect(t.nextResponseDueAt).toBeNull();
    // the agent answers by mail from their own (DKIM-signed) address: that is the first response
    deps.clock.advance(10 * 60_000);
    const signed = await signMail(rawMail({ from: 'Alex <agent@desk.test>', subject: `Re: [#${t.number}] VPN down`, body: 'Which client version?' }), useMailDomain(deps, 'desk.test'));
    await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: Buffer.from(signed) });
    expect((await getTicket(deps.db, t.id)).firstRespondedAt).toBe(deps.clock.now());
    deps.clock.advance(20 * 60_000);
    await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Anna <anna@client.example>', subject: `Re: [#${t.number}] VPN down`, body: 'Version 5.1' }) });
    expect((await getTicket(deps.db, t.id)).nextResponseDueAt).toBe(deps.clock.now() + 2 * H);
    deps.clock.advance(30 * 60_000);
    await replyToTicket(s.ctx, as(agent), { ticketId: t.id, body: 'Please update to 5.2' });
    const answered = await getTicket(deps.db, t.id);
    expect(answered.nextResponseDueAt).toBeNull();
    expect(readWorkflowState(answered).clock?.targets.nextResponse).toMatchObject({ cycle: 1, metAt: deps.clock.now(), late: false });
  });

  it('follows the priority: a change of priority moves the due time', async () => {
    const { policy } = await seedSla(s.ctx);
    await s.ctx.db.run('update sla_targets set resolution_minutes = 120 where policy_id = ? and priority = ?', policy.id, 'urgent');
    const t = await newTicket({ priority: 'urgent' });
    expect(t.resolutionDueAt).toBe(Z('2026-11-02T11:00:00Z'));
  });

  it('refuses a move the role may not make, naming who may, and changes nothing', async () => {
    const t = await newTicket();
    try {
      await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'closed' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('transition_refused');
      expect((err as AppError).message).toBe('An agent may not move a ticket from New to Closed (allowed: an admin, a manager)');
    }
    expect((await getTicket(deps.db, t.id)).status).toBe('new');
    expect((await listTicketMessages(deps.db, t.id)).filter((m) => m.kind === 'event')).toEqual([]);
    expect((await changeStatus(s.ctx, as(manager), { ticketId: t.id, status: 'closed', reason: 'duplicate' })).status).toBe('closed');
  });

  it('refuses a move missing required fields, naming them, with nothing half-applied', async () => {
    await updateWorkflowRules(deps.db, { ...defaultRules(), incident: { requirements: RECOMMENDED_REQUIREMENTS, autoCloseDays: 7 } }, deps.clock.now());
    const t = await newTicket();
    const refusal = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        if (err instanceof AppError) return { code: err.code, message: err.message, missing: err.details.missing };
        throw err;
      }
      throw new Error('not refused');
    };
    expect(await refusal(async () => await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id }))).toEqual({
      code: 'transition_refused', message: 'To move the ticket from New to Assigned, fill in: component, estimate', missing: ['component', 'estimate'],
    });
    expect(await getTicket(deps.db, t.id)).toMatchObject({ assigneeId: null, status: 'new' });
    expect((await listTicketEvents(deps.db, t.id)).map((e) => e.type)).toEqual(['ticket.created']);

    await updateTicket(deps.db, t.id, { componentId: (await printers()).id, estimateMinutes: 60 }, deps.clock.now());
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    // resolving with a note but no logged time: refused, and the note is not kept either
    expect(await refusal(async () => await resolveTicket(s.ctx, as(agent), { ticketId: t.id, note: 'Restarted the VPN gateway' }))).toMatchObject({
      code: 'transition_refused', missing: ['logged_time'],
    });
    expect(await getTicket(deps.db, t.id)).toMatchObject({ status: 'assigned', resolutionNote: null });
    expect(await refusal(async () => await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'resolved' }))).toMatchObject({ missing: ['resolution_note', 'logged_time'] });

    await logWork(s.ctx, agent, t.id, 25);
    const resolved = await resolveTicket(s.ctx, as(agent), { ticketId: t.id, note: 'Restarted the VPN gateway' });
    expect(resolved).toMatchObject({ status: 'resolved', resolutionNote: 'Restarted the VPN gateway' });
    // the desk itself (auto-assignment) is not held to fields it cannot fill
    const other = await newTicket({ subject: 'Printer' });
    expect((await assignTicket(s.ctx, { kind: 'system' }, { ticketId: other.id, assigneeId: agent.id })).status).toBe('assigned');
  });

  it('a rejected resolution goes back to the assignee with the reason in its history', async () => {
    const t = await newTicket();
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    await resolveTicket(s.ctx, as(agent), { ticketId: t.id, note: 'Asked the user to reboot' });
    await expect(rejectResolution(s.ctx, as(agent), { ticketId: t.id, reason: 'Not fixed' })).rejects.toThrow(/not allowed/);
    await expect(rejectResolution(s.ctx, as(manager), { ticketId: t.id, reason: '' })).rejects.toThrow('Say why the resolution is rejected');

    const back = await rejectResolution(s.ctx, as(manager), { ticketId: t.id, reason: 'The gateway log still shows drops' });
    expect(back).toMatchObject({ status: 'in_progress', assigneeId: agent.id, resolvedAt: null, resolutionNote: null });
    const event = (await listTicketMessages(deps.db, t.id)).filter((m) => m.eventType === 'status').at(-1);
    expect(event?.eventData).toEqual({ from: 'resolved', to: 'in_progress', reason: 'Решение отклонено: The gateway log still shows drops' });
    expect((await listTicketEvents(deps.db, t.id)).at(-1)).toMatchObject({ type: 'ticket.resolution_rejected', actorUserId: manager.id, data: { reason: 'The gateway log still shows drops', resolutionNote: 'Asked the user to reboot' } });
    const mails = (await outboxRows()).filter((r) => r.event === 'resolution_rejected');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipient: 'agent@desk.test', ticketId: t.id, payload: { template: 'resolution_rejected', locale: 'en', audience: 'agent', auto: true, vars: { managerName: 'Maria Manager', reason: 'The gateway log still shows drops', ticketNumber: t.number } } });
    await expect(rejectResolution(s.ctx, as(manager), { ticketId: t.id, reason: 'again' })).rejects.toThrow(/Only a resolved/);
  });

  it('a complaint goes to the component manager with its own clock', async () => {
    await seedSla(s.ctx, { escalation: 120 });
    const t = await newTicket({ componentId: (await printers()).id });
    deps.clock.advance(H);
    const escalated = await escalateTicket(s.ctx, { kind: 'agent', actor: as(agent) }, { ticketId: t.id, reason: 'Nobody called me back' });
    expect(escalated.escalatedAt).toBe(deps.clock.now());
    const state = readWorkflowState(escalated);
    expect(state.complaint).toMatchObject({ by: 'agent', byUserId: agent.id, reason: 'Nobody called me back', handledAt: null });
    expect(state.clock?.targets.escalation).toMatchObject({ dueAt: Z('2026-11-02T12:00:00Z'), cycle: 1 });
    const mails = (await outboxRows()).filter((r) => r.event === 'escalated');
    expect(mails.map((m) => [m.recipient, (m.payload as { locale: string }).locale])).toEqual([['manager@desk.test', 'ru']]);
    expect(mails[0].payload).toMatchObject({ template: 'escalated', vars: { byRequester: false, byName: 'Alex Agent', reason: 'Nobody called me back' } });
    expect((await listTicketMessages(deps.db, t.id)).find((m) => m.kind === 'note')?.bodyText).toContain('Nobody called me back');
    await expect(escalateTicket(s.ctx, { kind: 'agent', actor: as(agent) }, { ticketId: t.id, reason: 'Still nothing' })).rejects.toThrow(/already escalated/);
    await expect(handleComplaint(s.ctx, as(agent), { ticketId: t.id })).rejects.toThrow(/not allowed/);

    const handled = await handleComplaint(s.ctx, as(manager), { ticketId: t.id, note: 'Called Anna' });
    expect(readWorkflowState(handled).complaint).toMatchObject({ handledByUserId: manager.id });
    expect(readWorkflowState(handled).clock?.targets.escalation).toMatchObject({ metAt: deps.clock.now(), late: false });
    // without a component manager the complaint goes to every manager
    const other = await newTicket({ subject: 'Mouse' });
    await escalateTicket(s.ctx, { kind: 'agent', actor: as(agent) }, { ticketId: other.id, reason: 'Too slow' });
    expect((await outboxRows()).filter((r) => r.event === 'escalated' && r.ticketId === other.id).map((r) => r.recipient).sort()).toEqual(['boss@desk.test', 'manager@desk.test']);
  });

  it('flags requests outside the contract as billable, and a manager can decide otherwise', async () => {
    const covered = await printers();
    const other = await insertComponent(deps.db, { name: 'Servers' }, deps.clock.now());
    await insertOrganization(deps.db, { name: 'Client Ltd', coveredComponentIds: [covered.id], coveredChannels: ['email', 'web'] }, deps.clock.now(), ['client.example']);
    expect((await newTicket({ componentId: covered.id })).billable).toBe(false);
    const t = await newTicket({ componentId: other.id });
    expect(t.billable).toBe(true);
    expect((await listTicketEvents(deps.db, t.id)).find((e) => e.type === 'ticket.billable')?.data).toEqual({ billable: true, reasons: ['component'] });
    expect((await newTicket({ componentId: covered.id, channel: 'phone' })).billable).toBe(true);
    expect((await newTicket({ subject: 'No contract', requesterEmail: 'bob@elsewhere.example', componentId: other.id })).billable).toBe(false);

    await expect(setBillable(s.ctx, as(agent), { ticketId: t.id, billable: false })).rejects.toThrow(/not allowed/);
    expect((await setBillable(s.ctx, as(manager), { ticketId: t.id, billable: false })).billable).toBe(false);
    // a manager's decision sticks when the ticket changes
    for (const h of s.ctx.hooks.ticketChanged) await h(deps.db, { type: 'updated', ticket: await getTicket(deps.db, t.id), before: t, fields: ['componentId'], actor: as(agent) }, s.ctx);
    expect((await getTicket(deps.db, t.id)).billable).toBe(false);
    expect((await setBillable(s.ctx, as(manager), { ticketId: t.id, billable: null })).billable).toBe(true);
  });

  it('warns the assignee and the component manager once when logged time passes the ticket budget', async () => {
    await insertOrganization(deps.db, { name: 'Client Ltd', ticketTimeBudgetMinutes: 60 }, deps.clock.now(), ['client.example']);
    const t = await newTicket({ componentId: (await printers()).id });
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    await logWork(s.ctx, agent, t.id, 30);
    await logWork(s.ctx, agent, t.id, 30);
    expect((await outboxRows()).filter((r) => r.event === 'budget_exceeded')).toEqual([]);
    await logWork(s.ctx, agent, t.id, 15);
    await logWork(s.ctx, agent, t.id, 15);
    const mails = (await outboxRows()).filter((r) => r.event === 'budget_exceeded');
    expect(mails.map((m) => m.recipient).sort()).toEqual(['agent@desk.test', 'manager@desk.test']);
    expect(mails.find((m) => m.recipient === 'agent@desk.test')?.payload).toMatchObject({ template: 'budget_exceeded', locale: 'en', vars: { budget: '1 h', logged: '1 h 15 min', over: '15 min', organization: 'Client Ltd' } });
    expect(mails.find((m) => m.recipient === 'manager@desk.test')?.payload).toMatchObject({ locale: 'ru', vars: { budget: '1 ч', logged: '1 ч 15 мин' } });
  });

  it('closes resolved tickets after the configured days, per ticket type', async () => {
    await updateWorkflowRules(deps.db, { ...defaultRules(), problem: { requirements: {}, autoCloseDays: null } }, deps.clock.now());
    const incident = await newTicket();
    const problem = await newTicket({ subject: 'Recurring crash', type: 'problem' });
    for (const t of [incident, problem]) await resolveTicket(s.ctx, as(agent), { ticketId: t.id, note: 'Done' });
    deps.clock.advance(7 * 24 * H - 1);
    expect(await autoCloseResolved(s.ctx, deps.clock.now())).toBe(0);
    deps.clock.advance(1);
    expect(await autoCloseResolved(s.ctx, deps.clock.now())).toBe(1);
    expect(await getTicket(deps.db, incident.id)).toMatchObject({ status: 'closed', closedAt: deps.clock.now() });
    expect((await getTicket(deps.db, problem.id)).status).toBe('resolved');
    expect((await listTicketMessages(deps.db, incident.id)).filter((m) => m.eventType === 'status').at(-1)?.eventData).toMatchObject({ to: 'closed', reason: 'Closed automatically 7 days after resolution' });
    expect(await autoCloseResolved(s.ctx, deps.clock.now())).toBe(0);
  });
});
