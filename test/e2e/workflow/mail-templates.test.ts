// The workflow's mail templates: both languages have the same set, each compiles, and the rows
// the workflow really queues render (strictly: every variable a template prints is provided)
// and say the right thing in English and Russian.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../helpers/deps.ts';
import { logWork, rawMail, seedSla } from '../../helpers/workflow.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createUser } from '../../../src/actions/users.ts';
import { assignTicket, createTicket, replyToTicket } from '../../../src/actions/tickets.ts';
import { escalateTicket, rejectResolution, resolveTicket } from '../../../src/actions/resolution.ts';
import { runSlaChecks } from '../../../src/actions/sla-checks.ts';
import { insertOrganization } from '../../../src/store/organizations.ts';
import { insertComponent } from '../../../src/store/components.ts';
import { outbox } from '../../../src/db/schema.ts';
import { findContactEmail, updateContact } from '../../../src/store/contacts.ts';
import type { EmailPayload } from '../../../src/outbox/types.ts';
import { portalUrl } from '../../../src/domain/portal-link.ts';
import { getTicket } from '../../../src/store/tickets.ts';
import type { User } from '../../../src/store/users.ts';

const DIR = path.resolve('templates/email');
const OURS = ['sla_warning', 'sla_breach', 'budget_exceeded', 'reopen_refused', 'escalated', 'resolution_rejected'];

// what the outbox worker adds to every mail's data (src/channels/email/compose-email.ts): the desk,
// the recipient, the row's ticket and, in requester mail, the portal link issued at send time
async function workerData(deps: TestDeps, row: { recipient: string; ticketId: number | null; payload: unknown }) {
  const t = row.ticketId ? await getTicket(deps.db, row.ticketId) : null;
  const requesterMail = (row.payload as EmailPayload).audience === 'requester';
  return {
    desk: { name: deps.config.deskName, url: deps.config.publicUrl },
    recipient: { name: row.recipient.split('@')[0], address: row.recipient },
    ...(t ? { ticket: { number: t.number, subject: t.subject, tag: `[#${t.number}]`, url: `${deps.config.publicUrl}/tickets/${t.number}` } } : {}),
    ...(t && requesterMail ? { portalUrl: portalUrl(deps.config.publicUrl, deps.secrets.token, t, deps.clock.now()) } : {}),
  };
}

function render(p: EmailPayload & { data: Record<string, unknown> }) {
  const part = (kind: string) =>
    Handlebars.compile(readFileSync(path.join(DIR, p.locale, `${p.template}.${kind}.hbs`), 'utf8'), { strict: true })({ ...p.data, ...p.vars });
  return { subject: part('subject'), text: part('text'), html: part('html') }; // escaping on everywhere: the worst case for plain text
}

describe('workflow mail templates', () => {
  let deps: TestDeps;
  let s: Services;
  const rows: { event: string; recipient: string; payload: EmailPayload & { data: Record<string, unknown> } }[] = [];

  beforeAll(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    const agentEn = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex Agent', role: 'agent', password: 'long enough password' });
    const managerRu = await createUser(s.ctx, { email: 'manager@desk.test', name: 'Мария Петрова', role: 'manager', password: 'long enough password', locale: 'ru' });
    const as = (user: User) => ({ kind: 'user' as const, user });
    await seedSla(s.ctx, { firstResponse: 60 });
    const comp = await insertComponent(deps.db, { name: 'Printers', managerId: managerRu.id }, deps.clock.now());
    await insertOrganization(deps.db, { name: 'ООО «Ромашка»', reopenLimit: 0, ticketTimeBudgetMinutes: 30 }, deps.clock.now(), ['romashka.ru']);
    await insertOrganization(deps.db, { name: 'Acme', reopenLimit: 0 }, deps.clock.now(), ['acme.example']);

    const t = await createTicket(s.ctx, as(agentEn), { subject: 'Принтер <не печатает>', body: 'Застревает бумага', requesterEmail: 'ivan@romashka.ru', componentId: comp.id });
    await assignTicket(s.ctx, as(agentEn), { ticketId: t.id, assigneeId: agentEn.id });
    deps.clock.advance(50 * 60_000);
    await runSlaChecks(s.ctx, deps.clock.now()); // first-response warning
    deps.clock.advance(20 * 60_000);
    await runSlaChecks(s.ctx, deps.clock.now()); // first-response breach
    await logWork(s.ctx, agentEn, t.id, 45); // over the 30-minute budget
    await escalateTicket(s.ctx, { kind: 'requester', contactId: t.requesterId! }, { ticketId: t.id, reason: 'Никто не перезвонил' });
    await replyToTicket(s.ctx, as(agentEn), { ticketId: t.id, body: 'Done' });
    await resolveTicket(s.ctx, as(agentEn), { ticketId: t.id, note: 'Почистил ролики' });
    await rejectResolution(s.ctx, as(managerRu), { ticketId: t.id, reason: 'Бумага всё ещё застревает' });
    await resolveTicket(s.ctx, as(agentEn), { ticketId: t.id, note: 'Заменил ролики' });

    // replies to resolved tickets on contracts that allow no reopen: one Russian, one English requester
    const ru = (await findContactEmail(deps.db, 'ivan@romashka.ru'))!;
    await updateContact(deps.db, ru.contactId, { locale: 'ru' }, deps.clock.now());
    await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Иван <ivan@romashka.ru>', subject: `Re: [#${t.number}] Принтер`, body: 'Опять застревает' }) });
    const en = await createTicket(s.ctx, as(agentEn), { subject: 'Laptop fan', body: 'Loud', requesterEmail: 'jane@acme.example' });
    await resolveTicket(s.ctx, as(agentEn), { ticketId: en.id, note: 'Cleaned' });
    await s.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ from: 'Jane <jane@acme.example>', subject: `Re: [#${en.number}] Laptop fan`, body: 'Loud again' }) });

    for (const r of await deps.db.select().from(outbox).all()) {
      const p = r.payload as unknown as EmailPayload;
      if (r.channel === 'email' && OURS.includes(p.template)) rows.push({ event: r.event, recipient: r.recipient, payload: { ...p, data: await workerData(deps, r) } });
    }
  });
  afterAll(() => deps.close());

  it('has every template in both languages, and each compiles', () => {
    const en = readdirSync(path.join(DIR, 'en')).filter((f) => OURS.some((t) => f.startsWith(`${t}.`))).sort();
    const ru = readdirSync(path.join(DIR, 'ru')).filter((f) => OURS.some((t) => f.startsWith(`${t}.`))).sort();
    expect(en).toEqual(ru);
    expect(en).toHaveLength(OURS.length * 3);
    for (const f of en) for (const l of ['en', 'ru']) expect(() => Handlebars.precompile(readFileSync(path.join(DIR, l, f), 'utf8'))).not.toThrow();
  });

  it('the workflow queued each kind of mail, in the recipient’s language', () => {
    const kinds = rows.map((r) => `${r.payload.template}:${r.payload.locale}`).sort();
    for (const k of ['sla_warning:en', 'sla_warning:ru', 'sla_breach:en', 'sla_breach:ru', 'budget_exceeded:en', 'budget_exceeded:ru', 'escalated:ru', 'resolution_rejected:en', 'reopen_refused:ru', 'reopen_refused:en']) {
      expect(kinds).toContain(k);
    }
  });

  it.each([
    ['sla_warning', 'en', ['SLA warning: First response', 'will soon miss', 'Alex Agent', '10 min left']],
    ['sla_warning', 'ru', ['Предупреждение SLA: Первый ответ', 'скоро нарушит', 'осталось 10 мин']],
    ['sla_breach', 'en', ['SLA breached: First response', 'overdue by 10 min']],
    ['sla_breach', 'ru', ['Нарушен срок SLA: Первый ответ', 'эскалировано вам', 'просрочено на 10 мин']],
    ['budget_exceeded', 'en', ['Time budget exceeded: 45 min of 30 min', 'ООО «Ромашка»', '15 min over']],
    ['budget_exceeded', 'ru', ['Превышен бюджет времени: 45 мин из 30 мин', 'сверх бюджета 15 мин']],
    ['escalated', 'ru', ['Жалоба: Принтер <не печатает>', 'заявителем', 'Никто не перезвонил', 'Возьмите жалобу в работу до']],
    ['resolution_rejected', 'en', ['Resolution rejected', 'Мария Петрова rejected the resolution', 'Бумага всё ещё застревает', 'Почистил ролики']],
    ['reopen_refused', 'ru', ['Ваше сообщение открыло новую заявку', 'уже открывали повторно 0 раз', 'новую заявку #', '/portal/t']],
    ['reopen_refused', 'en', ['Your message opened a new request', 'already been reopened 0 times', 'new request, #', '/portal/t']],
  ] as const)('%s (%s) renders and says what happened', (template, locale, phrases) => {
    const row = rows.find((r) => r.payload.template === template && r.payload.locale === locale);
    expect(row, `${template} ${locale} queued`).toBeDefined();
    const out = render(row!.payload);
    const all = `${out.subject}\n${out.text}`;
    for (const p of phrases) expect(all).toContain(p);
    expect(out.subject).not.toContain('\n');
    // the HTML part escapes what people typed
    expect(out.html).not.toMatch(/<не печатает>/);
    if (template === 'escalated') expect(out.html).toContain('Принтер &lt;не печатает&gt;');
  });
});
