// Bulk generator for load tests (`helpdesk demo --tickets N`): realistic-looking tickets and
// threads written straight into the tables in large transactions. Deterministic for a given N.
import type { Ctx } from '../actions/context.ts';
import { PRIORITIES, STATUSES } from '../db/schema.ts';

const EN = ['printer', 'jammed', 'VPN', 'password', 'Outlook', 'laptop', 'monitor', 'network', 'slow', 'error', 'access', 'folder', 'backup', 'license', 'update', 'Wi-Fi', 'scanner', 'invoice', 'server', 'disk', 'mailbox', 'calendar', 'meeting', 'phone', 'account', 'locked', 'reset', 'install', 'crash', 'report'];
const RU = ['принтер', 'не печатает', 'VPN', 'пароль', 'почта', 'ноутбук', 'монитор', 'сеть', 'медленно', 'ошибка', 'доступ', 'папка', 'резервная копия', 'лицензия', 'обновление', 'сканер', 'счёт', 'сервер', 'диск', '1С', 'бухгалтерия', 'отчёт', 'зависает', 'установить', 'телефон', 'учётная запись', 'заблокирована', 'сброс', 'касса', 'склад'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateTickets(
  ctx: Ctx,
  opts: { tickets: number; messagesPerTicket: number; agentIds: number[]; batch?: number; log?: (s: string) => void },
): { tickets: number; messages: number } {
  const db = ctx.db.$client;
  const rand = rng(opts.tickets);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const words = (lang: string[], n: number) => Array.from({ length: n }, () => pick(lang)).join(' ');
  const batch = opts.batch ?? 5000;
  const now = ctx.clock.now();
  const startNumber = (db.prepare('select coalesce(max(number),0) n from tickets').get() as { n: number }).n;
  const contactIds = (db.prepare('select id from contacts limit 1000').all() as { id: number }[]).map((r) => r.id);
  const componentIds = (db.prepare('select id from components').all() as { id: number }[]).map((r) => r.id);

  const insTicket = db.prepare(`insert into tickets (number, subject, status, priority, type, channel, component_id, requester_id, assignee_id,
    estimate_minutes, last_activity_at, created_at, updated_at, resolution_due_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insMsg = db.prepare(`insert into messages (ticket_id, kind, direction, channel, author_user_id, author_contact_id, from_address,
    subject, body_text, created_at) values (?,?,?,?,?,?,?,?,?,?)`);
  let messages = 0;
  const span = 2 * 365 * 24 * 3600 * 1000;
  for (let done = 0; done < opts.tickets; ) {
    const n = Math.min(batch, opts.tickets - done);
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const k = done + i;
        const created = now - span + Math.floor((span * k) / opts.tickets);
        const ru = rand() < 0.5;
        const lang = ru ? RU : EN;
        const subject = `${words(lang, 3 + Math.floor(rand() * 4))}`;
        const status = rand() < 0.7 ? 'closed' : pick(STATUSES);
        const assignee = rand() < 0.8 && opts.agentIds.length ? pick(opts.agentIds) : null;
        const requester = contactIds.length ? pick(contactIds) : null;
        const t = insTicket.run(startNumber + k + 1, subject, status, pick(PRIORITIES), 'incident', rand() < 0.85 ? 'email' : 'sms',
          componentIds.length ? pick(componentIds) : null, requester, assignee, 30 + Math.floor(rand() * 8) * 30, created + 3600_000, created, created, created + 8 * 3600_000);
        const tid = Number(t.lastInsertRowid);
        for (let m = 0; m < opts.messagesPerTicket; m++) {
          const fromAgent = m % 2 === 1 && assignee;
          insMsg.run(tid, m === 3 ? 'note' : 'reply', fromAgent ? 'out' : m === 3 ? 'internal' : 'in', 'email', fromAgent ? assignee : null,
            fromAgent ? null : requester, null, m === 0 ? subject : null, words(lang, 20 + Math.floor(rand() * 40)), created + m * 600_000);
          messages++;
        }
      }
    }).immediate();
    done += n;
    if (done % 50_000 === 0 || done === opts.tickets) opts.log?.(`generated ${done}/${opts.tickets} tickets`);
  }
  db.pragma('optimize');
  return { tickets: opts.tickets, messages };
}
