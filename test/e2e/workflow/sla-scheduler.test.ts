// The scheduler announces SLA warnings and breaches exactly once per ticket, target and kind —
// across repeated runs, restarts and several schedulers at once — to the assignee and the
// component manager, escalating a breach to the managers when the component has none.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseUrlOf, makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { seedSla } from '../../helpers/workflow.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createUser } from '../../../src/actions/users.ts';
import { assignTicket, changeStatus, createTicket, replyToTicket } from '../../../src/actions/tickets.ts';
import { schedulerTick, startScheduler } from '../../../src/roles/scheduler.ts';
import { outbox } from '../../../src/db/schema.ts';
import { insertComponent } from '../../../src/store/components.ts';
import { getTicket } from '../../../src/store/tickets.ts';
import { listTicketEvents } from '../../../src/store/events.ts';
import type { User } from '../../../src/store/users.ts';
import type { EmailPayload } from '../../../src/outbox/types.ts';

const Z = (iso: string) => Date.parse(iso);
const root = path.resolve(import.meta.dirname, '../../..');

describe('SLA notices from the scheduler', () => {
  let deps: TestDeps;
  afterEach(() => deps?.close());

  async function desk(opts: { file?: boolean } = {}) {
    deps = await makeTestDeps({}, opts);
    const s = buildServices(deps);
    const agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'long enough password' });
    const compManager = await createUser(s.ctx, { email: 'printers-lead@desk.test', name: 'Пётр Руководитель', role: 'manager', password: 'long enough password', locale: 'ru' });
    const otherManager = await createUser(s.ctx, { email: 'head@desk.test', name: 'Head of Support', role: 'manager', password: 'long enough password' });
    await seedSla(s.ctx, { firstResponse: 60, resolution: 480, internalResolution: 240 });
    const printers = await insertComponent(deps.db, { name: 'Printers', managerId: compManager.id }, deps.clock.now());
    return { s, agent, compManager, otherManager, printers };
  }
  const rows = async (event?: string) => (await deps.db.select().from(outbox).all()).filter((r) => !event || r.event === event);
  const as = (user: User) => ({ kind: 'user' as const, user });

  it('a breach fires exactly one notification to the right people, however often the scheduler runs', async () => {
    const { s, agent, printers } = await desk();
    const t = await createTicket(s.ctx, as(agent), { subject: 'Printer jammed', body: 'Paper stuck', requesterEmail: 'anna@client.example', componentId: printers.id });
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    expect((await schedulerTick(s.ctx)).notices).toBe(0);

    deps.clock.set(Z('2026-11-02T09:48:00Z')); // 80 % of the one-hour first response
    expect((await schedulerTick(s.ctx)).notices).toBe(1);
    expect((await schedulerTick(s.ctx)).notices).toBe(0);
    expect((await rows('sla_warning')).map((r) => r.recipient).sort()).toEqual(['agent@desk.test', 'printers-lead@desk.test']);

    deps.clock.set(Z('2026-11-02T10:00:00Z'));
    expect((await schedulerTick(s.ctx)).notices).toBe(1);
    expect((await schedulerTick(s.ctx)).notices).toBe(0);
    const breaches = await rows('sla_breach');
    expect(breaches.map((r) => [r.recipient, (r.payload as unknown as EmailPayload).locale, (r.payload as unknown as EmailPayload).vars.escalation]).sort()).toEqual([
      ['agent@desk.test', 'en', false],
      ['printers-lead@desk.test', 'ru', true],
    ]);
    expect(breaches[0].payload).toMatchObject({ template: 'sla_breach', audience: 'agent', auto: true, vars: { targetKey: 'firstResponse', ticketNumber: t.number, internal: false } });
    expect(breaches.every((r) => r.ticketId === t.id && r.status === 'pending')).toBe(true);

    // a restart (new services on the same database) and later runs announce nothing again
    const restarted = buildServices(deps);
    deps.clock.set(Z('2026-11-02T10:30:00Z'));
    expect((await schedulerTick(restarted.ctx)).notices).toBe(0);
    expect(await rows('sla_breach')).toHaveLength(2);
    expect((await listTicketEvents(deps.db, t.id)).filter((e) => e.type.startsWith('sla.')).map((e) => `${e.type}:${(e.data as { target: string }).target}`)).toEqual([
      'sla.warning:firstResponse', 'sla.breach:firstResponse',
    ]);
    expect((await getTicket(deps.db, t.id)).slaNextEventAt).toBe(Z('2026-11-02T12:12:00Z')); // the internal resolution warning is next
  });

  it('internal targets are announced on their own; a breach without a component manager goes to the managers', async () => {
    const { s, agent } = await desk();
    const t = await createTicket(s.ctx, as(agent), { subject: 'Laptop', body: 'Slow', requesterEmail: 'anna@client.example' });
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    await replyToTicket(s.ctx, as(agent), { ticketId: t.id, body: 'Looking into it' });
    await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'in_progress' });
    deps.clock.set(Z('2026-11-02T12:12:00Z')); // 80 % of the 4-hour internal resolution goal
    await schedulerTick(s.ctx);
    // a warning goes to the assignee alone (the managers hear of breaches)
    expect((await rows('sla_warning')).map((r) => [r.recipient, (r.payload as unknown as EmailPayload).vars.targetKey])).toEqual([['agent@desk.test', 'internalResolution']]);
    deps.clock.set(Z('2026-11-02T13:00:00Z')); // 4 business hours: the internal goal is missed
    await schedulerTick(s.ctx);
    const internal = await rows('sla_breach');
    expect(internal.map((r) => r.recipient).sort()).toEqual(['agent@desk.test', 'head@desk.test', 'printers-lead@desk.test']);
    expect(internal.every((r) => (r.payload as unknown as EmailPayload).vars.targetKey === 'internalResolution' && (r.payload as unknown as EmailPayload).vars.internal === true)).toBe(true);
    // the contract's resolution target is tracked separately and is still to come
    expect((await getTicket(deps.db, t.id)).slaNextEventAt).toBe(Z('2026-11-03T06:24:00Z'));
    deps.clock.set(Z('2026-11-03T08:00:00Z'));
    await schedulerTick(s.ctx);
    expect((await rows('sla_breach')).filter((r) => (r.payload as unknown as EmailPayload).vars.targetKey === 'resolution')).toHaveLength(3);
  });

  it('a paused clock announces nothing until the requester answers', async () => {
    const { s, agent, printers } = await desk();
    const t = await createTicket(s.ctx, as(agent), { subject: 'Printer', body: 'x', requesterEmail: 'anna@client.example', componentId: printers.id });
    await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    await replyToTicket(s.ctx, as(agent), { ticketId: t.id, body: 'Which printer?' });
    await changeStatus(s.ctx, as(agent), { ticketId: t.id, status: 'pending_requester' });
    deps.clock.set(Z('2026-11-20T10:00:00Z'));
    expect((await schedulerTick(s.ctx)).notices).toBe(0);
    // the acknowledgement, the manager's notice and the agent's reply went out; no SLA notice did
    expect((await rows()).filter((r) => r.event.startsWith('sla_'))).toHaveLength(0);
    expect((await rows()).map((r) => r.event).sort()).toEqual(['ack', 'new_in_component', 'reply']);
  });

  it('several schedulers running at once in separate processes still announce once', async () => {
    const { s, agent, printers } = await desk({ file: true });
    for (let i = 0; i < 12; i++) {
      const t = await createTicket(s.ctx, as(agent), { subject: `Printer ${i}`, body: 'x', requesterEmail: `user${i}@client.example`, componentId: printers.id });
      await assignTicket(s.ctx, as(agent), { ticketId: t.id, assigneeId: agent.id });
    }
    const env = { ...process.env, DATABASE_URL: databaseUrlOf(deps.config), DATA_DIR: deps.dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', SESSION_SECRET: 's'.repeat(40), WF_NOW: String(Z('2026-11-02T10:05:00Z')), WF_TICKS: '3' };
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'test/helpers/scheduler-tick.ts')], { env, cwd: root });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`scheduler exited ${code}: ${err}`))));
      });
    const counts = await Promise.all([run(), run(), run()]);
    // each ticket's first response was breached once (its warning is superseded), whoever announced it
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    expect(await rows('sla_breach')).toHaveLength(24);
    expect(await rows('sla_warning')).toHaveLength(0);
    expect(new Set((await rows('sla_breach')).map((r) => `${r.ticketId}:${r.recipient}`)).size).toBe(24);
  }, 120_000);

  it('the scheduler role runs the checks on its own', async () => {
    const { s, agent, printers } = await desk();
    const t = await createTicket(s.ctx, as(agent), { subject: 'Printer', body: 'x', requesterEmail: 'anna@client.example', componentId: printers.id });
    deps.clock.set(Z('2026-11-02T12:00:00Z'));
    const role = await startScheduler(s as Services, { intervalMs: 50 });
    try {
      await expect.poll(async () => (await rows('sla_breach')).length, { timeout: 20_000 }).toBeGreaterThan(0);
    } finally {
      await role.stop();
    }
    expect((await rows('sla_breach')).every((r) => r.ticketId === t.id)).toBe(true);
  });
});
