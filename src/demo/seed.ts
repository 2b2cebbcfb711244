// `helpdesk demo`: a realistic desk to try the console on — organisations with contracts,
// components with managers, agents, and mail threads in English and Russian that go through the
// real intake pipeline, then a tour of the rest (tour.ts, sla-scenes.ts). With --tickets N it also
// bulk-generates N tickets for load testing.
import { addNote, assignTicket, changeStatus } from '../actions/tickets.ts';
import { runSlaChecks } from '../actions/sla-checks.ts';
import { createUser } from '../actions/users.ts';
import { logWork } from '../actions/worklog.ts';
import { inTransaction } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { portalUrl } from '../domain/portal-link.ts';
import { buildServices } from '../services.ts';
import { insertComponent, listComponents } from '../store/components.ts';
import { insertOrganization, listOrganizations } from '../store/organizations.ts';
import { findLastOutboxId, setAsideDemoMail } from '../store/outbox.ts';
import { findTicket, maxTicketId } from '../store/tickets.ts';
import { findUserByEmail, listActiveUsersByRole, type User } from '../store/users.ts';
import { actor, receiveMail, type Cast } from './cast.ts';
import { demoClock } from './demo-clock.ts';
import { generateTickets } from './generate.ts';
import { playSlaScene, SLA_SCENES } from './sla-scenes.ts';
import { billRequest, complain, mergeDuplicate, refuseReopen, seedCannedReplies, seedKnowledgeBase, smsThread } from './tour.ts';
import { seedWorkflowDemo } from './workflow-demo.ts';

export const DEMO_PASSWORD = 'demo-password';

const THREADS: { mail: { from: string; name: string; subject: string; body: string }; reply?: string; note?: string; status?: string; agent?: string }[] = [
  { mail: { from: 'anna.petrova@romashka.ru', name: 'Анна Петрова', subject: 'Не печатает принтер на 3 этаже', body: 'Добрый день!\n\nПринтер HP в переговорной на 3 этаже зажёвывает каждый лист. Перезагрузка не помогла.\n\nС уважением,\nАнна Петрова\nбухгалтерия' }, note: 'Похоже на ролик подачи, заказал запчасть.', status: 'pending_third_party', agent: 'dmitry@desk.example' },
  { mail: { from: 'sergey.k@romashka.ru', name: 'Сергей Ким', subject: 'VPN не подключается из дома', body: 'Здравствуйте.\nС утра не могу подключиться к VPN, ошибка 809. Интернет дома работает.\n\nСергей' }, reply: 'Сергей, проверьте, пожалуйста, не блокирует ли роутер протокол L2TP. Во вложении инструкция.', status: 'pending_requester', agent: 'dmitry@desk.example' },
  { mail: { from: 'm.volkova@romashka.ru', name: 'Мария Волкова', subject: '1С: ошибка при закрытии месяца', body: 'При закрытии месяца 1С выдаёт «Нарушена целостность данных». Срочно, сдаём отчётность в пятницу!' }, status: 'in_progress', agent: 'pavel@desk.example' },
  { mail: { from: 'j.smith@acme.example', name: 'John Smith', subject: 'Outlook keeps asking for my password', body: 'Hi team,\n\nsince this morning Outlook asks for my password every 10 minutes. I changed it yesterday.\n\nThanks,\nJohn' }, reply: 'Hi John, please remove the old credentials from Windows Credential Manager and restart Outlook.', status: 'resolved', agent: 'sarah@desk.example' },
  { mail: { from: 'linda.m@acme.example', name: 'Linda Martinez', subject: 'New laptop for a starter on Monday', body: 'Hello,\n\nwe have a new accountant starting Monday. Could you prepare a laptop with the usual software and a mailbox l.chen@acme.example?\n\nBest,\nLinda' }, status: 'assigned', agent: 'sarah@desk.example' },
  { mail: { from: 'ops@acme.example', name: 'Acme Ops', subject: 'Warehouse Wi-Fi drops every afternoon', body: 'The Wi-Fi in warehouse B drops between 2 and 4 pm. Scanners lose connection and orders pile up.' } },
  { mail: { from: 'director@severtrans.ru', name: 'Игорь Северов', subject: 'Нужен доступ к общей папке для нового сотрудника', body: 'Прошу предоставить доступ к папке \\\\fs01\\Логистика сотруднику Ольге Беловой.' } },
  { mail: { from: 'b.olga@severtrans.ru', name: 'Ольга Белова', subject: 'Медленно работает компьютер', body: 'Компьютер очень долго загружается, по 10 минут. Windows 10.' }, note: 'Диск почти заполнен, нужна чистка профиля.', status: 'in_progress', agent: 'pavel@desk.example' },
  { mail: { from: 'k.tanaka@acme.example', name: 'Ken Tanaka', subject: 'Request: second monitor', body: 'Could I get a second monitor for my desk (B-214)? My manager approved it.' }, status: 'new' },
];

/** One account as the demo prints it: the password is null for an account the demo did not make. */
export type DemoAccount = { email: string; password: string | null; name: string; role: string; locale: string };

/** Who is who in the demo, printed at the end: address, password, name, role and language. */
export function accountsTable(accounts: DemoAccount[]): string {
  const rows = [
    ['account', 'password', 'name', 'role', 'language'],
    ...accounts.map((a) => [a.email, a.password ?? '(your own)', a.name, a.role, a.locale === 'ru' ? 'Russian' : 'English']),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

type Person = { email: string; name: string; role: 'admin' | 'manager' | 'agent'; locale: 'en' | 'ru' };
const STAFF: Person[] = [
  { email: 'olga@desk.example', name: 'Olga Smirnova', role: 'manager', locale: 'en' },
  { email: 'dmitry@desk.example', name: 'Дмитрий Иванов', role: 'agent', locale: 'ru' },
  { email: 'sarah@desk.example', name: 'Sarah Lee', role: 'agent', locale: 'en' },
  { email: 'pavel@desk.example', name: 'Павел Орлов', role: 'agent', locale: 'ru' },
];
/** made only on a desk without an administrator (the demo ran before the setup page) */
const DEMO_ADMIN: Person = { email: 'admin@desk.example', name: 'Alex Morgan', role: 'admin', locale: 'en' };

/** The demo's staff (made once), and every account to print: the administrators first. */
async function seedStaff(deps: Deps): Promise<{ staff: Record<string, User>; accounts: DemoAccount[] }> {
  const staff: Record<string, User> = {};
  const madeByDemo = async (p: Person) => (staff[p.email] = (await findUserByEmail(deps.db, p.email)) ?? (await createUser(deps, { ...p, password: DEMO_PASSWORD })));
  let admins = await listActiveUsersByRole(deps.db, 'admin');
  if (admins.length === 0 || admins.some((a) => a.email === DEMO_ADMIN.email)) {
    await madeByDemo(DEMO_ADMIN);
    admins = await listActiveUsersByRole(deps.db, 'admin');
  }
  for (const p of STAFF) await madeByDemo(p);
  const account = (u: User): DemoAccount => ({ email: u.email, password: staff[u.email] ? DEMO_PASSWORD : null, name: u.name, role: u.role, locale: u.locale });
  return { staff, accounts: [...admins.map(account), ...STAFF.map((p) => account(staff[p.email]))] };
}

async function seedClients(deps: Deps, staff: Record<string, User>, now: number): Promise<void> {
  const { db } = deps;
  if ((await listOrganizations(db)).length === 0) {
    await inTransaction(db, async () => {
      await insertOrganization(db, { name: 'ООО «Ромашка»', monthlyFeeCents: 60_000_00, currency: 'RUB', includedMinutes: 1200, hourlyRateCents: 2_500_00, reopenLimit: 2, reopenWindowDays: 14, ticketTimeBudgetMinutes: 240 }, now, ['romashka.ru']);
      await insertOrganization(db, { name: 'Acme Logistics', monthlyFeeCents: 1_500_00, currency: 'USD', includedMinutes: 600, hourlyRateCents: 90_00, reopenLimit: 1, reopenWindowDays: 7, ticketTimeBudgetMinutes: 120 }, now, ['acme.example']);
      await insertOrganization(db, { name: 'Севертранс', monthlyFeeCents: 25_000_00, currency: 'RUB', includedMinutes: 300, hourlyRateCents: 2_000_00, reopenLimit: 1, reopenWindowDays: 10 }, now, ['severtrans.ru']);
    });
  }
  if ((await listComponents(db)).length === 0) {
    const manager = staff['olga@desk.example'].id;
    const [dmitry, sarah, pavel] = ['dmitry', 'sarah', 'pavel'].map((n) => staff[`${n}@desk.example`].id);
    await inTransaction(db, async () => {
      await insertComponent(db, { name: 'Printers / Принтеры', managerId: manager, keywords: ['printer', 'принтер', 'печат'], autoAssign: 'off' }, now, [dmitry]);
      await insertComponent(db, { name: 'Network & VPN', managerId: manager, keywords: ['vpn', 'wi-fi', 'wifi', 'сеть'], autoAssign: 'least_loaded' }, now, [dmitry, sarah]);
      await insertComponent(db, { name: 'Email & Office', managerId: manager, keywords: ['outlook', 'почта', 'mailbox'] }, now, [sarah]);
      await insertComponent(db, { name: '1C:Бухгалтерия', managerId: manager, keywords: ['1с', '1c'] }, now, [pavel]);
      await insertComponent(db, { name: 'Workstations / Рабочие места', managerId: manager, keywords: ['laptop', 'monitor', 'компьютер', 'ноутбук'] }, now, [sarah, pavel]);
    });
  }
}

const threadMailId = (i: number) => `demo-${i + 1}@seed.helpdesk`;
/** the thread whose requester writes back twice after it is resolved, and whose portal link is printed */
const OUTLOOK = 'Outlook keeps asking for my password';

/** The mail threads; returns the tickets opened this time by subject (none when the demo ran before). */
async function seedThreads(cast: Cast): Promise<Record<string, number>> {
  const { ctx } = cast.services;
  const ticketOf: Record<string, number> = {};
  for (const [i, th] of THREADS.entries()) {
    const id = threadMailId(i);
    const date = cast.now - ((THREADS.length - i) * 24 * 3_600_000) / 3;
    const r = await receiveMail(cast, { ...th.mail, id, date });
    if (r.outcome !== 'created' || !r.ticketId) continue;
    const ticketId = r.ticketId;
    ticketOf[th.mail.subject] = ticketId;
    const agent = th.agent ? actor(cast, th.agent) : undefined;
    if (agent) await assignTicket(ctx, actor(cast, 'olga@desk.example'), { ticketId, assigneeId: agent.user.id });
    if (th.note && agent) await addNote(ctx, agent, { ticketId, body: th.note });
    if (th.reply) {
      const t = (await findTicket(ctx.db, ticketId))!;
      const ru = /[а-я]/i.test(th.mail.body);
      await receiveMail(cast, {
        from: th.mail.from, name: th.mail.name, subject: `Re: ${th.mail.subject} [#${t.number}]`,
        body: `${ru ? 'Спасибо, попробую.' : 'Thanks, will try.'}\n\n> ${th.reply}`, id: `demo-${i + 1}-re@seed.helpdesk`, inReplyTo: id, date,
      });
    }
    // time spent this month on the clients' contracts (what the contract report counts)
    if (agent && th.status && th.status !== 'new') {
      await logWork(ctx, agent, { ticketId, minutes: 25 + (i % 4) * 20, billable: i % 3 !== 2, note: /[а-я]/i.test(th.mail.body) ? 'Диагностика и решение' : 'Diagnosis and fix' });
    }
    if (th.status) await changeStatus(ctx, agent ?? { kind: 'system' }, { ticketId, status: th.status });
  }
  return ticketOf;
}

/** What the desk does beyond mail threads; each scene is played once, when its tickets are new. */
async function seedTour(cast: Cast, ticketOf: Record<string, number>): Promise<void> {
  await seedCannedReplies(cast);
  await seedKnowledgeBase(cast);
  const opened = (subject: string, scene: (ticketId: number) => Promise<void>) => (ticketOf[subject] ? scene(ticketOf[subject]) : undefined);
  await opened('Request: second monitor', (id) => mergeDuplicate(cast, id));
  await opened(OUTLOOK, (id) => refuseReopen(cast, id, threadMailId(THREADS.findIndex((th) => th.mail.subject === OUTLOOK))));
  await opened('1С: ошибка при закрытии месяца', (id) => complain(cast, id));
  await opened('New laptop for a starter on Monday', (id) => billRequest(cast, id));
  await smsThread(cast);
  for (const [i, scene] of SLA_SCENES.entries()) await playSlaScene(cast, scene, `demo-sla-${i + 1}@seed.helpdesk`);
}

/** A requester's own page of a ticket, as the desk's mail links to it. */
async function portalLine(cast: Cast, ticketId: number | undefined): Promise<string[]> {
  const t = ticketId ? await findTicket(cast.services.ctx.db, ticketId) : undefined;
  if (!t) return [];
  const { config, secrets } = cast.services.ctx;
  return ['', `What the requester sees of ticket #${t.number} (the link their mail carries; no sign-in):`, `  ${portalUrl(config.publicUrl, secrets.token, t, cast.now)}`];
}

/**
 * Seeds the demo desk on `deps` and prints who is who. Running it again adds nothing twice: each
 * thread and scene starts with a message the desk has already received the second time.
 */
export async function seedDemo(deps: Deps, opts: { tickets?: number; log?: (s: string) => void } = {}): Promise<string> {
  const clock = demoClock(deps.clock);
  // the demo's mail comes from made-up people, some at real domains: no check could vouch for
  // them (every message would say so), and the desk must not look those domains up
  const config = { ...deps.config, senderVerify: { ...deps.config.senderVerify, mode: 'off' as const } };
  const services = buildServices({ ...deps, config, clock });
  const { ctx } = services;
  const log = opts.log ?? (() => undefined);
  const now = clock.now();
  const lastOutboxId = (await findLastOutboxId(ctx.db)) ?? 0;
  const lastTicketId = Number(await maxTicketId(ctx.db));

  const { staff, accounts } = await seedStaff(ctx);
  await seedClients(ctx, staff, now);
  await seedWorkflowDemo(ctx, { aroundTheClock: ['Acme Logistics'] }); // the business calendar and the SLA policies
  const cast: Cast = { services, clock, staff, now };
  const ticketOf = await seedThreads(cast);
  await seedTour(cast, ticketOf);
  const opened = Number(await maxTicketId(ctx.db)) - lastTicketId;
  // the warnings and breaches the scenes ran into are announced now, not by the desk's first minute
  if (opened > 0) await runSlaChecks(ctx, clock.now());
  // the demo's people are made up: what the desk queued for them is set aside quietly, with no
  // "not sent" line on every ticket and no pile in the outbox
  await inTransaction(ctx.db, async () => await setAsideDemoMail(ctx.db, { outboxId: lastOutboxId, ticketId: lastTicketId }));

  log(`Sign in at ${ctx.config.publicUrl}/login as:`);
  log('');
  log(accountsTable(accounts));
  for (const line of await portalLine(cast, ticketOf[OUTLOOK])) log(line);

  if (opts.tickets && opts.tickets > 0) {
    const g = await generateTickets(ctx, { tickets: opts.tickets, messagesPerTicket: 5, log });
    return `generated ${g.tickets} tickets and ${g.messages} messages`;
  }
  return `demo ready: ${opened} new tickets`;
}
