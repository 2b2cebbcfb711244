// `helpdesk demo`: a realistic desk to try the console on — organisations with contracts,
// components with managers, agents, and mail threads in English and Russian that go through the
// real intake pipeline. With --tickets N it also bulk-generates N tickets for load testing.
import { addNote, assignTicket, changeStatus } from '../actions/tickets.ts';
import { createUser } from '../actions/users.ts';
import { inTransaction } from '../db/client.ts';
import type { Services } from '../services.ts';
import { insertComponent, listComponents } from '../store/components.ts';
import { insertOrganization, listOrganizations } from '../store/organizations.ts';
import { findUserByEmail, type User } from '../store/users.ts';
import { findTicket } from '../store/tickets.ts';
import { generateTickets } from './generate.ts';
import { createCannedReply } from '../actions/canned-replies.ts';
import { mergeTickets } from '../actions/ticket-links.ts';
import { logWork } from '../actions/worklog.ts';
import { listCannedReplies } from '../store/canned-replies.ts';
import { setAsideDemoMail } from '../store/outbox.ts';
import { seedWorkflowDemo } from './workflow-demo.ts';

export const DEMO_PASSWORD = 'demo-password';

type Mail = { from: string; name: string; subject: string; body: string; id: string; inReplyTo?: string; date: string };

function rawMail(m: Mail): Buffer {
  const enc = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`);
  const headers = [
    `From: ${enc(m.name)} <${m.from}>`,
    'To: support@desk.example',
    `Subject: ${enc(m.subject)}`,
    `Date: ${m.date}`,
    `Message-ID: <${m.id}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`, `References: <${m.inReplyTo}>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${m.body.replace(/\n/g, '\r\n')}\r\n`, 'utf8');
}

const THREADS: { mail: Omit<Mail, 'date' | 'id'>; reply?: string; note?: string; status?: string; agent?: string }[] = [
  { mail: { from: 'anna.petrova@romashka.ru', name: 'Анна Петрова', subject: 'Не печатает принтер на 3 этаже', body: 'Добрый день!\n\nПринтер HP в переговорной на 3 этаже зажёвывает каждый лист. Перезагрузка не помогла.\n\nС уважением,\nАнна Петрова\nбухгалтерия' }, note: 'Похоже на ролик подачи, заказал запчасть.', status: 'pending_third_party', agent: 'dmitry@desk.example' },
  { mail: { from: 'sergey.k@romashka.ru', name: 'Сергей Ким', subject: 'VPN не подключается из дома', body: 'Здравствуйте.\nС утра не могу подключиться к VPN, ошибка 809. Интернет дома работает.\n\nСергей' }, reply: 'Сергей, проверьте, пожалуйста, не блокирует ли роутер протокол L2TP. Во вложении инструкция.', status: 'pending_requester', agent: 'dmitry@desk.example' },
  { mail: { from: 'm.volkova@romashka.ru', name: 'Мария Волкова', subject: '1С: ошибка при закрытии месяца', body: 'При закрытии месяца 1С выдаёт «Нарушена целостность данных». Срочно, сдаём отчётность в пятницу!' }, status: 'in_progress', agent: 'pavel@desk.example' },
  { mail: { from: 'j.smith@acme.example', name: 'John Smith', subject: 'Outlook keeps asking for my password', body: 'Hi team,\n\nsince this morning Outlook asks for my password every 10 minutes. I changed it yesterday.\n\nThanks,\nJohn' }, reply: 'Hi John, please remove the old credentials from Windows Credential Manager and restart Outlook.', status: 'resolved', agent: 'sarah@desk.example' },
  { mail: { from: 'linda.m@acme.example', name: 'Linda Martinez', subject: 'New laptop for a starter on Monday', body: 'Hello,\n\nwe have a new accountant starting Monday. Could you prepare a laptop with the usual software and a mailbox l.chen@acme.example?\n\nBest,\nLinda' }, status: 'assigned', agent: 'sarah@desk.example' },
  { mail: { from: 'ops@acme.example', name: 'Acme Ops', subject: 'Warehouse Wi-Fi drops every afternoon', body: 'The Wi-Fi in warehouse B drops between 2 and 4 pm. Scanners lose connection and orders pile up.' } },
  { mail: { from: 'director@severtrans.ru', name: 'Игорь Северов', subject: 'Нужен доступ к общей папке для нового сотрудника', body: 'Прошу предоставить доступ к папке \\\\fs01\\Логистика сотруднику Ольге Беловой.' } },
  { mail: { from: 'b.olga@severtrans.ru', name: 'Ольга Белова', subject: 'Медленно работает компьютер', body: 'Компьютер очень долго загружается, по 10 минут. Windows 10.' }, note: 'Диск почти заполнен, нужна чистка профиля.', status: 'triaged' },
  { mail: { from: 'k.tanaka@acme.example', name: 'Ken Tanaka', subject: 'Request: second monitor', body: 'Could I get a second monitor for my desk (B-214)? My manager approved it.' }, status: 'new' },
];

/** Canned replies in both languages, and a duplicate request merged into the first. */
async function seedTour(services: Services, users: Record<string, User>, ticketOf: Record<string, number>): Promise<void> {
  const { ctx, intake } = services;
  const olga = users['olga@desk.example'];
  if ((await listCannedReplies(ctx.db)).length === 0) {
    const canned: [string, string, 'en' | 'ru'][] = [
      ['Restart the printer', 'Hello {{requester.name}},\n\nplease switch the printer off, wait ten seconds and switch it on again, then tell us whether #{{ticket.number}} is solved.\n\n{{agent.name}}', 'en'],
      ['We are on it', 'Hello {{requester.name}},\n\nthank you, we are working on "{{ticket.subject}}" and will write as soon as we know more.\n\n{{agent.name}}', 'en'],
      ['Перезагрузите принтер', 'Здравствуйте, {{requester.name}}!\n\nВыключите принтер, подождите десять секунд и включите снова. Напишите, пожалуйста, решилась ли проблема по заявке #{{ticket.number}}.\n\n{{agent.name}}', 'ru'],
      ['Заявка в работе', 'Здравствуйте, {{requester.name}}!\n\nСпасибо, мы занимаемся заявкой «{{ticket.subject}}» и напишем, как только будет результат.\n\n{{agent.name}}', 'ru'],
    ];
    for (const [title, body, locale] of canned) await createCannedReply(ctx, olga, { title, body, locale });
  }
  // the same request sent twice: the second is merged into the first
  const original = ticketOf['Request: second monitor'];
  const target = original ? await findTicket(ctx.db, original) : undefined;
  if (target) {
    const dup = await intake.receive({
      channel: 'email', source: 'pipe', mailboxId: null,
      raw: rawMail({ from: 'k.tanaka@acme.example', name: 'Ken Tanaka', subject: 'Second monitor for B-214?', body: 'Hi again, just checking about the second monitor for my desk.', id: 'demo-dup@seed.helpdesk', date: new Date(ctx.clock.now()).toUTCString().replace('GMT', '+0000') }),
    });
    if (dup.outcome === 'created' && dup.ticketId) await mergeTickets(ctx, { kind: 'user', user: olga }, { sourceId: dup.ticketId, targetNumber: target.number, confirm: true });
  }
}

/** Who is who in the demo, printed at the end: address, role and language. */
export function accountsTable(users: Pick<User, 'email' | 'name' | 'role' | 'locale'>[]): string {
  const rows = [['account', 'name', 'role', 'language'], ...users.map((u) => [u.email, u.name, u.role, u.locale === 'ru' ? 'Russian' : 'English'])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

export async function seedDemo(services: Services, opts: { tickets?: number; log?: (s: string) => void } = {}): Promise<string> {
  const { ctx, intake } = services;
  const log = opts.log ?? (() => undefined);
  const now = ctx.clock.now();

  const people: { email: string; name: string; role: 'manager' | 'agent'; available?: boolean }[] = [
    { email: 'olga@desk.example', name: 'Olga Smirnova', role: 'manager' },
    { email: 'dmitry@desk.example', name: 'Дмитрий Иванов', role: 'agent' },
    { email: 'sarah@desk.example', name: 'Sarah Lee', role: 'agent' },
    { email: 'pavel@desk.example', name: 'Павел Орлов', role: 'agent' },
  ];
  const users: Record<string, User> = {};
  for (const p of people) {
    users[p.email] = await findUserByEmail(ctx.db, p.email) ?? (await createUser(ctx, { ...p, password: DEMO_PASSWORD, locale: /[а-я]/i.test(p.name) ? 'ru' : 'en' }));
  }

  if ((await listOrganizations(ctx.db)).length === 0) {
    await inTransaction(ctx.db, async () => {
      await insertOrganization(ctx.db, { name: 'ООО «Ромашка»', monthlyFeeCents: 60_000_00, currency: 'RUB', includedMinutes: 1200, hourlyRateCents: 2_500_00, reopenLimit: 2, reopenWindowDays: 14, ticketTimeBudgetMinutes: 240 }, now, ['romashka.ru']);
      await insertOrganization(ctx.db, { name: 'Acme Logistics', monthlyFeeCents: 1_500_00, currency: 'USD', includedMinutes: 600, hourlyRateCents: 90_00, reopenLimit: 1, reopenWindowDays: 7, ticketTimeBudgetMinutes: 120 }, now, ['acme.example']);
      await insertOrganization(ctx.db, { name: 'Севертранс', monthlyFeeCents: 25_000_00, currency: 'RUB', includedMinutes: 300, hourlyRateCents: 2_000_00, reopenLimit: 1, reopenWindowDays: 10 }, now, ['severtrans.ru']);
    });
  }
  if ((await listComponents(ctx.db)).length === 0) {
    const manager = users['olga@desk.example'].id;
    await inTransaction(ctx.db, async () => {
      await insertComponent(ctx.db, { name: 'Printers / Принтеры', managerId: manager, keywords: ['printer', 'принтер', 'печат'], autoAssign: 'off' }, now, [users['dmitry@desk.example'].id]);
      await insertComponent(ctx.db, { name: 'Network & VPN', managerId: manager, keywords: ['vpn', 'wi-fi', 'wifi', 'сеть'], autoAssign: 'least_loaded' }, now, [users['dmitry@desk.example'].id, users['sarah@desk.example'].id]);
      await insertComponent(ctx.db, { name: 'Email & Office', managerId: manager, keywords: ['outlook', 'почта', 'mailbox'] }, now, [users['sarah@desk.example'].id]);
      await insertComponent(ctx.db, { name: '1C:Бухгалтерия', managerId: manager, keywords: ['1с', '1c'] }, now, [users['pavel@desk.example'].id]);
      await insertComponent(ctx.db, { name: 'Workstations / Рабочие места', managerId: manager, keywords: ['laptop', 'monitor', 'компьютер', 'ноутбук'] }, now, [users['sarah@desk.example'].id, users['pavel@desk.example'].id]);
    });
  }

  await seedWorkflowDemo(ctx); // a business calendar and the default SLA policy

  let created = 0;
  const day = 24 * 3600 * 1000;
  const ticketOf: Record<string, number> = {};
  for (const [i, th] of THREADS.entries()) {
    const id = `demo-${i + 1}@seed.helpdesk`;
    const date = new Date(now - (THREADS.length - i) * day / 3).toUTCString().replace('GMT', '+0000');
    const r = await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: rawMail({ ...th.mail, id, date }) });
    if (r.outcome !== 'created' || !r.ticketId) continue;
    created++;
    ticketOf[th.mail.subject] = r.ticketId;
    const agent = th.agent ? users[th.agent] : undefined;
    if (agent) await assignTicket(ctx, { kind: 'user', user: users['olga@desk.example'] }, { ticketId: r.ticketId, assigneeId: agent.id });
    if (th.note && agent) await addNote(ctx, { kind: 'user', user: agent }, { ticketId: r.ticketId, body: th.note });
    if (th.reply) {
      const t = (await findTicket(ctx.db, r.ticketId))!;
      const follow = rawMail({
        from: th.mail.from, name: th.mail.name, subject: `Re: ${th.mail.subject} [#${t.number}]`,
        body: /[а-я]/i.test(th.mail.body) ? 'Спасибо, попробую.\n\n> ' + th.reply : 'Thanks, will try.\n\n> ' + th.reply,
        id: `demo-${i + 1}-re@seed.helpdesk`, inReplyTo: id, date,
      });
      await intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw: follow });
    }
    // time spent this month on the clients' contracts (what the contract report counts)
    if (agent && th.status && th.status !== 'new') {
      await logWork(ctx, { kind: 'user', user: agent }, { ticketId: r.ticketId, minutes: 25 + (i % 4) * 20, billable: i % 3 !== 2, note: /[а-я]/i.test(th.mail.body) ? 'Диагностика и решение' : 'Diagnosis and fix' });
    }
    if (th.status) await changeStatus(ctx, agent ? { kind: 'user', user: agent } : { kind: 'system' }, { ticketId: r.ticketId, status: th.status });
  }
  if (created > 0) await seedTour(services, users, ticketOf);
  // the demo's requesters are made up: what the notification rules queued for them is set aside
  // quietly (no "not sent" line on every ticket, no pile in the outbox)
  await inTransaction(ctx.db, async () => await setAsideDemoMail(ctx.db, now));
  log(`seeded ${created} demo threads. Sign in at ${ctx.config.publicUrl}/login with the password "${DEMO_PASSWORD}" as:`);
  log(accountsTable(people.map((p) => users[p.email])));
  log('(the administrator is the account you created on the setup page)');

  if (opts.tickets && opts.tickets > 0) {
    const g = await generateTickets(ctx, { tickets: opts.tickets, messagesPerTicket: 5, log });
    return `generated ${g.tickets} tickets and ${g.messages} messages`;
  }
  return `demo ready: ${created} new threads`;
}
