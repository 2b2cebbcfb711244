// The demo's tour of what the desk does beyond a mail thread: canned replies and knowledge-base articles in both languages, a
// duplicate merged into the first request, a reopen refused beyond the contract's limit, a
// conversation by SMS, a requester's complaint and a request billed outside the contract.
import { createCannedReply } from '../actions/canned-replies.ts';
import { createContact } from '../actions/contacts.ts';
import { createKbArticle, createKbCategory, linkKbTranslation, publishKbArticle, readKbArticle, staffReader, voteKbArticle } from '../actions/kb.ts';
import { listKbCategories } from '../store/kb.ts';
import { escalateTicket, setBillable } from '../actions/resolution.ts';
import { mergeTickets } from '../actions/ticket-links.ts';
import { assignTicket, changeStatus, replyToTicket } from '../actions/tickets.ts';
import { logWork } from '../actions/worklog.ts';
import { listCannedReplies } from '../store/canned-replies.ts';
import { findContactPhone, findOrganizationIdByDomain } from '../store/contacts.ts';
import { findTicket } from '../store/tickets.ts';
import { actor, MINUTE, playAt, receiveMail, type Cast } from './cast.ts';
import { rawSms } from './raw-mail.ts';

const CANNED: [string, string, 'en' | 'ru'][] = [
  ['Restart the printer', 'Hello {{requester.name}},\n\nplease switch the printer off, wait ten seconds and switch it on again, then tell us whether #{{ticket.number}} is solved.\n\n{{agent.name}}', 'en'],
  ['We are on it', 'Hello {{requester.name}},\n\nthank you, we are working on "{{ticket.subject}}" and will write as soon as we know more.\n\n{{agent.name}}', 'en'],
  ['Перезагрузите принтер', 'Здравствуйте, {{requester.name}}!\n\nВыключите принтер, подождите десять секунд и включите снова. Напишите, пожалуйста, решилась ли проблема по заявке #{{ticket.number}}.\n\n{{agent.name}}', 'ru'],
  ['Заявка в работе', 'Здравствуйте, {{requester.name}}!\n\nСпасибо, мы занимаемся заявкой «{{ticket.subject}}» и напишем, как только будет результат.\n\n{{agent.name}}', 'ru'],
];

export async function seedCannedReplies(cast: Cast): Promise<void> {
  const { ctx } = cast.services;
  if ((await listCannedReplies(ctx.db)).length > 0) return;
  for (const [title, body, locale] of CANNED) await createCannedReply(ctx, cast.staff['olga@desk.example'], { title, body, locale });
}

const KB: { title: string; body: string; locale: 'en' | 'ru'; visibility: 'internal' | 'public' }[] = [
  {
    title: 'Outlook keeps asking for the password', locale: 'en', visibility: 'public',
    body: 'After a password change Outlook may keep the **old** one.\n\n1. Open *Credential Manager* in Windows.\n2. Remove the entries that mention Outlook or Office.\n3. Restart Outlook and sign in with the new password.',
  },
  {
    title: 'Outlook постоянно спрашивает пароль', locale: 'ru', visibility: 'public',
    body: 'После смены пароля Outlook может помнить **старый**.\n\n1. Откройте *Диспетчер учётных данных* Windows.\n2. Удалите записи, где упоминается Outlook или Office.\n3. Перезапустите Outlook и войдите с новым паролем.',
  },
  {
    title: 'Принтер зажёвывает бумагу', locale: 'ru', visibility: 'internal',
    body: '# Для инженеров\n\n- Проверьте ролик подачи: стёртый ролик — частая причина.\n- Запчасть заказывается у поставщика, срок 3–5 дней.',
  },
];

/** A few knowledge-base articles: an English one and its Russian translation (public), an internal note for engineers. */
export async function seedKnowledgeBase(cast: Cast): Promise<void> {
  const { ctx } = cast.services;
  if ((await listKbCategories(ctx.db)).length > 0) return;
  const olga = cast.staff['olga@desk.example'];
  const category = await createKbCategory(ctx, olga, { name: 'Mail and printers' });
  const made = [];
  for (const a of KB) {
    const article = await createKbArticle(ctx, olga, { ...a, categoryId: category.id });
    await publishKbArticle(ctx, olga, article.id, true);
    made.push(article);
  }
  await linkKbTranslation(ctx, olga, made[0].id, made[1].id);
  const dmitry = staffReader(cast.staff['dmitry@desk.example']);
  await readKbArticle(ctx, dmitry, made[2].id);
  await voteKbArticle(ctx, dmitry, made[2].id, true);
}

/** The same request sent twice: the second is merged into the first. */
export async function mergeDuplicate(cast: Cast, originalId: number): Promise<void> {
  const target = await findTicket(cast.services.ctx.db, originalId);
  if (!target) return;
  const dup = await receiveMail(cast, {
    from: 'k.tanaka@acme.example', name: 'Ken Tanaka', subject: 'Second monitor for B-214?', body: 'Hi again, just checking about the second monitor for my desk.',
    id: 'demo-dup@seed.helpdesk', date: cast.now,
  });
  if (dup.outcome !== 'created' || !dup.ticketId) return;
  await mergeTickets(cast.services.ctx, actor(cast, 'olga@desk.example'), { sourceId: dup.ticketId, targetNumber: target.number, confirm: true });
}

/**
 * The requester writes back after the resolution: the first time the ticket reopens; after the
 * second resolution, Acme's contract (one reopen) refuses, and the mail opens a linked ticket.
 */
export async function refuseReopen(cast: Cast, ticketId: number, firstMailId: string): Promise<void> {
  const { ctx } = cast.services;
  const t = await findTicket(ctx.db, ticketId);
  if (!t || t.status !== 'resolved') return;
  const sarah = actor(cast, 'sarah@desk.example');
  const subject = `Re: ${t.subject} [#${t.number}]`;
  const again = await receiveMail(cast, {
    from: 'j.smith@acme.example', name: 'John Smith', subject, body: 'Hi, it started again after lunch, sorry!\n\nJohn',
    id: 'demo-reopen-1@seed.helpdesk', inReplyTo: firstMailId, date: cast.now,
  });
  if (again.outcome !== 'appended') return;
  await replyToTicket(ctx, sarah, { ticketId, body: 'Hi John, your phone kept the old password and locked the account again: I removed it there too. It should stay quiet now.' });
  await changeStatus(ctx, sarah, { ticketId, status: 'resolved' });
  await receiveMail(cast, {
    from: 'j.smith@acme.example', name: 'John Smith', subject, body: 'Now Teams asks for my password as well.\n\nJohn',
    id: 'demo-reopen-2@seed.helpdesk', inReplyTo: 'demo-reopen-1@seed.helpdesk', date: cast.now,
  });
}

export const SMS_REQUESTER = { name: 'Tom Wilson', email: 't.wilson@acme.example', phone: '+12025550143' };
const DESK_NUMBER = '+12025550100';

/** A driver texts from the yard: a ticket by SMS, the agent's answer by SMS, his thanks on the same ticket. */
export async function smsThread(cast: Cast): Promise<number | undefined> {
  const { ctx, intake } = cast.services;
  if (await findContactPhone(ctx.db, SMS_REQUESTER.phone)) return undefined;
  const organizationId = (await findOrganizationIdByDomain(ctx.db, 'acme.example')) ?? null;
  await createContact(ctx, cast.staff['olga@desk.example'], { name: SMS_REQUESTER.name, emails: [SMS_REQUESTER.email], phones: [SMS_REQUESTER.phone], organizationId, locale: 'en' });
  const text = (n: number, body: string) => ({ channel: 'sms' as const, source: 'twilio' as const, mailboxId: null, raw: rawSms({ sid: `SM${String(n).padStart(32, '0')}`, from: SMS_REQUESTER.phone, to: DESK_NUMBER, body }) });
  const first = await playAt(cast, cast.now - 50 * MINUTE, () => intake.receive(text(1, 'Hi, the forklift terminal at gate 2 says "no network" again. Tom')));
  if (first.outcome !== 'created' || !first.ticketId) return undefined;
  const ticketId = first.ticketId;
  const sarah = actor(cast, 'sarah@desk.example');
  await playAt(cast, cast.now - 45 * MINUTE, () => assignTicket(ctx, actor(cast, 'olga@desk.example'), { ticketId, assigneeId: sarah.user.id }));
  await playAt(cast, cast.now - 42 * MINUTE, async () => {
    await replyToTicket(ctx, sarah, { ticketId, body: 'Hi Tom, the access point at gate 2 restarted. Switch the terminal off and on, please. Sarah' });
    await changeStatus(ctx, sarah, { ticketId, status: 'in_progress' });
  });
  await playAt(cast, cast.now - 12 * MINUTE, () => intake.receive(text(2, 'Works now, thanks!')));
  await logWork(ctx, sarah, { ticketId, minutes: 15, billable: true, note: 'Access point at gate 2 restarted' });
  return ticketId;
}

/** The requester complains that nobody is solving an urgent request: the manager's clock starts. */
export async function complain(cast: Cast, ticketId: number): Promise<void> {
  const t = await findTicket(cast.services.ctx.db, ticketId);
  if (!t?.requesterId || t.escalatedAt) return;
  await escalateTicket(cast.services.ctx, { kind: 'requester', contactId: t.requesterId }, {
    ticketId, reason: 'Ошибка всё ещё есть, а отчётность сдаём в пятницу. Прошу подключить руководителя.',
  });
}

/** A laptop for a new starter is outside Acme's contract: the manager bills it, the time is charged in full. */
export async function billRequest(cast: Cast, ticketId: number): Promise<void> {
  const { ctx } = cast.services;
  const t = await findTicket(ctx.db, ticketId);
  if (!t || t.billable) return;
  await setBillable(ctx, actor(cast, 'olga@desk.example'), { ticketId, billable: true });
  await logWork(ctx, actor(cast, 'sarah@desk.example'), { ticketId, minutes: 90, billable: true, note: 'Laptop imaged, software and mailbox set up' });
}
