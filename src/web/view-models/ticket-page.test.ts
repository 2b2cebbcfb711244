import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { person } from '../../../test/helpers/factories.ts';
import { logWork, rawMail, seedSla } from '../../../test/helpers/workflow.ts';
import { addNote, assignTicket, replyToTicket } from '../../actions/tickets.ts';
import { buildServices, type Services } from '../../services.ts';
import { getTicket, type Ticket } from '../../store/tickets.ts';
import type { User } from '../../store/users.ts';
import { ticketPageView } from './ticket-page.ts';

describe('ticket page view model', () => {
  let deps: TestDeps;
  let s: Services;
  let sarah: User;
  let t: Ticket;
  const mailIn = (subject: string, body: string) =>
    s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Anna Petrova <anna@client.example>', subject, body }) });

  // Monday 12:00 in Moscow: Anna writes in, Sarah answers ten minutes later, Anna writes back,
  // Sarah notes something for her colleagues and logs time
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    await seedSla(s.ctx);
    sarah = await person(s, 'Sarah Lee');
    const r = await mailIn('Printer jams', 'Every page jams.');
    t = await getTicket(deps.db, r.ticketId!);
    await assignTicket(s.ctx, { kind: 'user', user: sarah }, { ticketId: t.id, assigneeId: sarah.id });
    deps.clock.advance(10 * 60_000);
    await replyToTicket(s.ctx, { kind: 'user', user: sarah }, { ticketId: t.id, body: 'Please restart it.', cc: [] });
    deps.clock.advance(30 * 60_000);
    await mailIn(`Re: [#${t.number}] Printer jams`, 'Still jams after the restart.');
    await addNote(s.ctx, { kind: 'user', user: sarah }, { ticketId: t.id, body: 'Roller is worn' });
    await logWork(s.ctx, sarah, t.id, 25);
    t = await getTicket(deps.db, t.id);
  });
  afterEach(() => deps.close());

  it('presents the thread, the requester, the SLA, time and history of a ticket with messages and a note', async () => {
    const vm = await ticketPageView(s.ctx, { ticket: t, user: sarah });

    expect(vm.title).toBe(`#${t.number} Printer jams`);
    expect(vm.ticket).toMatchObject({ number: t.number, subject: 'Printer jams', status: 'assigned', channel: 'email', requester: 'Anna Petrova', assignee: 'Sarah Lee' });
    expect(vm.thread.filter((m) => m.kind !== 'event').map((m) => ({ kind: m.kind, direction: m.direction, author: m.author, text: m.text.trim() }))).toEqual([
      { kind: 'reply', direction: 'in', author: 'Anna Petrova', text: 'Every page jams.' },
      { kind: 'reply', direction: 'out', author: 'Sarah Lee', text: 'Please restart it.' },
      { kind: 'reply', direction: 'in', author: 'Anna Petrova', text: 'Still jams after the restart.' },
      { kind: 'note', direction: 'internal', author: 'Sarah Lee', text: 'Roller is worn' },
    ]);
    expect(vm.thread.find((m) => m.kind === 'event')).toMatchObject({ eventType: 'assigned', eventData: { toName: 'Sarah Lee' } });

    // 1 h first response (met by Sarah's reply), 8 business hours to resolve: Tuesday 11:00 Moscow
    const firstDue = Date.UTC(2026, 10, 2, 10, 0);
    const resolveBy = Date.UTC(2026, 10, 3, 8, 0);
    expect(vm.workflow).toMatchObject({
      hasSla: true,
      policyName: 'Standard',
      contractTargets: [
        { target: 'firstResponse', state: 'met', dueAt: firstDue, metAt: Date.UTC(2026, 10, 2, 9, 10) },
        { target: 'resolution', state: 'running', dueAt: resolveBy, leftMs: resolveBy - deps.clock.now() },
      ],
    });
    expect(vm.ticket).toMatchObject({ firstResponseDueAt: firstDue, resolutionDueAt: resolveBy, slaDueAt: resolveBy, slaOverdue: false });

    expect(vm.requester).toEqual({ id: t.requesterId, name: 'Anna Petrova', emails: [{ email: 'anna@client.example', undeliverable: false }], phones: [], organization: undefined });
    expect(vm.reply).toMatchObject({ channel: 'email', isSms: false, to: 'anna@client.example', mailOff: true, values: {}, canned: [] });
    expect(vm.reply.statuses.map((x) => x.id)).not.toContain('assigned');
    expect(vm.props.statuses.find((x) => x.selected)?.id).toBe('assigned');
    expect(vm.props.agents).toEqual([{ id: sarah.id, name: 'Sarah Lee', away: false, selected: true }]);
    expect(vm.time).toMatchObject({ loggedMinutes: 25, billableMinutes: 25, estimate: '', remaining: null, entries: [{ minutes: 25, who: 'Sarah Lee', removable: true }] });
    expect(vm.links).toEqual({ list: [], error: undefined, confirm: undefined });
    expect(vm.history.map((h) => h.type)).toEqual(['ticket.worklog', 'ticket.note', 'ticket.reply', 'ticket.assigned', 'ticket.created']);
    expect(vm.history.at(-1)).toMatchObject({ actor: 'system', actorKind: 'system' });
    expect(vm.can).toMatchObject({ reply: true, note: true, edit: true, status: true, merge: true, canned: false });
    expect(vm.readOnlyFor).toBeNull();
    expect(vm.presence).toEqual({ replying: [], viewing: [], any: false });
  });

  it('keeps what was typed into a refused form, shows who else is here, and reads the page for a colleague who may not change it', async () => {
    const bob = await person(s, 'Bob Stone');
    const vm = await ticketPageView(s.ctx, {
      ticket: t,
      user: bob,
      forms: { propsValues: { priority: 'urgent', reason: 'VIP' }, propsError: 'Not allowed', replyValues: { body: 'Hi', statusAfter: 'resolved' }, timeValues: { estimate: '2h' } },
      others: [{ name: 'Sarah Lee', mode: 'replying' }],
    });
    expect(vm.props).toMatchObject({ error: 'Not allowed', reason: 'VIP' });
    expect(vm.props.priorities.find((x) => x.selected)?.id).toBe('urgent');
    // a field that was not in the refused form shows the ticket's value
    expect(vm.props.statuses.find((x) => x.selected)?.id).toBe('assigned');
    expect(vm.reply.values).toEqual({ body: 'Hi', statusAfter: 'resolved' });
    expect(vm.reply.statuses.find((x) => x.selected)?.id).toBe('resolved');
    expect(vm.time.estimate).toBe('2h');
    expect(vm.time.entries[0].removable).toBe(false);
    expect(vm.presence).toEqual({ replying: ['Sarah Lee'], viewing: [], any: true });
    expect(vm.can).toMatchObject({ reply: true, note: true, edit: false, status: false, assign: false });
    expect(vm.readOnlyFor).toBe('Sarah Lee');
  });
});
