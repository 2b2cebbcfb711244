// Bulk generator for load tests (`helpdesk demo --tickets N`): a realistic-looking desk written
// straight into the tables in large transactions. Deterministic for a given N, and the same desk on
// SQLite and on PostgreSQL. The shape follows a real desk, because the query plans depend on it: most
// old tickets are closed, the open ones are recent; words follow a Zipf curve (a few very common, many
// rare) with codes and host names that make specific searches selective; SLA due times, estimates and
// logged time are filled in.
import type { Ctx } from '../actions/context.ts';
import { hashPassword } from '../actions/users.ts';
import {
  countContacts, countOrganizations, insertBulkAgents, insertBulkContacts, insertBulkOrganizations, insertBulkTickets,
  listActiveAgentIds, listComponentIds, listContactOrganizations, listOrganizationIds, maxTicketNumber, optimizeAfterBulkLoad,
  restoreSetAside as restoreStoreSetAside, setAsideForBulkLoad, withBulkCache, type BulkContact, type BulkMessage, type BulkTicket, type BulkWorklog,
} from '../store/bulk-load.ts';
import { buildStatusCounts, endSetAsideStatusCounts, setAsideStatusCounts } from '../store/status-counts.ts';
import { closedSumsKept, setAsideClosedSums } from '../store/closed-sums.ts';
import { rebuildTicketSums } from '../store/ticket-sums.ts';
import { measureTicketTimes } from '../store/ticket-times.ts';
import { seededRandom as rng } from './random.ts';
import { MEASURE_BREACHED, MEASURE_MET, MEASURE_PAUSED } from '../domain/sla-clock.ts';

const EN_WORDS = `the a to and is it my on in for not with this of can you please we have after from again since error printer
VPN password Outlook laptop monitor network slow access folder backup license update Wi-Fi scanner invoice server disk mailbox
calendar meeting phone account locked reset install crash report screen keyboard mouse driver login email attachment share
drive permission restart connection timeout certificate browser Chrome Excel Word Teams Zoom headset camera docking station
battery charger projector room booking printer toner paper jam queue spooler firewall proxy DNS DHCP router switch cable port
domain group policy profile desktop icon shortcut file lost deleted restore version sync OneDrive SharePoint SAP CRM ERP
warehouse scanner barcode label order shipment invoice payroll accounting month closing ledger vendor contract renewal quote
tablet mobile iPhone Android MFA token authenticator code expired SSO portal ticket request urgent today tomorrow morning
afternoon office floor building remote home hotel travel new starter leaver hardware software approval manager budget`.split(/\s+/);
const RU_WORDS = `и в не на я что с по это как у меня после снова уже ошибка принтер не-печатает VPN пароль почта ноутбук монитор
сеть медленно доступ папка резервная копия лицензия обновление сканер счёт сервер диск 1С бухгалтерия отчёт зависает
установить телефон учётная запись заблокирована сброс касса склад экран клавиатура мышь драйвер вход письмо вложение
общая папка права перезагрузка подключение сертификат браузер таблица документ камера гарнитура зарядка проектор
переговорная картридж бумага замятие очередь печати брандмауэр прокси домен профиль рабочий стол ярлык файл удалён
восстановить версия синхронизация портал заявка срочно сегодня завтра утром офис этаж удалённо дома командировка
новый сотрудник увольнение оборудование согласование руководитель бюджет закрытие месяца проводки зарплата накладная
поставщик договор продление планшет смартфон код истёк приложение кабинет бухгалтер кассовый аппарат маркировка`.split(/\s+/);
const FIRST = ['Anna', 'John', 'Maria', 'Ken', 'Linda', 'Sergey', 'Olga', 'Igor', 'Sarah', 'Pavel', 'Elena', 'David', 'Ivan', 'Nina', 'Tom', 'Irina', 'Alex', 'Yulia', 'Mark', 'Svetlana'];
const LAST = ['Petrova', 'Smith', 'Volkova', 'Tanaka', 'Martinez', 'Kim', 'Belova', 'Severov', 'Lee', 'Orlov', 'Ivanova', 'Brown', 'Sokolov', 'Popova', 'Garcia', 'Novikova', 'Morozov', 'Wilson', 'Kuznetsova', 'Lebedev'];
const STATUS_RECENT: [string, number][] = [['new', 12], ['triaged', 5], ['assigned', 14], ['in_progress', 20], ['pending_requester', 10], ['pending_third_party', 4], ['reopened', 2], ['resolved', 20], ['closed', 13]];
const STATUS_OLD: [string, number][] = [['closed', 90], ['resolved', 6], ['in_progress', 1], ['pending_requester', 1], ['pending_third_party', 1], ['assigned', 1]];
const PRIORITY: [string, number][] = [['low', 20], ['normal', 55], ['high', 20], ['urgent', 5]];
const TYPE: [string, number][] = [['incident', 60], ['service_request', 30], ['problem', 6], ['project', 4]];
const CATEGORY: [string | null, number][] = [[null, 30], ['fault', 40], ['consultation', 20], ['enhancement', 10]];
const CHANNEL: [string, number][] = [['email', 75], ['sms', 10], ['web', 10], ['api', 3], ['phone', 2]];
// business-ish minutes to first response / resolution per priority (the SLA clock's real numbers come from policies)
const FIRST_RESPONSE_MIN: Record<string, number> = { urgent: 30, high: 60, normal: 240, low: 480 };
const RESOLUTION_MIN: Record<string, number> = { urgent: 240, high: 480, normal: 1440, low: 4320 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Cumulative Zipf weights (s ≈ 1) for picking word i with probability ∝ 1/(i+1). */
function zipf(n: number): Float64Array {
  const c = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) c[i] = sum += 1 / (i + 1);
  for (let i = 0; i < n; i++) c[i] /= sum;
  return c;
}

export type GenerateOptions = {
  tickets: number;
  /** average messages per ticket (each ticket gets between 2 and 2×avg−2) */
  messagesPerTicket: number;
  /** agents to assign to; when empty, `agents` load-test agents are created */
  agentIds?: number[];
  agents?: number;
  batch?: number;
  /**
   * Bulk load (default from 10,000 tickets on): the secondary indexes of tickets and messages (on
   * SQLite also the full-text triggers) are set aside while the rows go in and rebuilt in one pass
   * at the end (on PostgreSQL side by side). Building an index by sorting, and the full-text index
   * with FTS5's 'rebuild', is several times faster than updating them row by row once they outgrow
   * the page cache. Without it the rows still go in batches of `batch` tickets, one transaction each.
   */
  bulk?: boolean;
  log?: (s: string) => void;
};

/**
 * Puts back what an interrupted bulk run set aside (indexes, then triggers) and rebuilds the
 * full-text indexes, and sums the closed tickets (and counts the tickets per day) afresh; its tickets' status histories are left to
 * the scheduler's count.
 */
export async function restoreSetAside(ctx: Ctx, log?: (s: string) => void): Promise<boolean> {
  await endSetAsideStatusCounts(ctx.db);
  if (!(await closedSumsKept(ctx.db))) await rebuildTicketSums(ctx.db);
  return await restoreStoreSetAside(ctx.db, log);
}

/** A target's mark for the SLA report (SlaMeasures in domain/sla-clock.ts), in wall-clock time. */
function markOf(due: number, metAt: number | null, pausedAt: number | null): number {
  if (metAt !== null) return metAt <= due ? MEASURE_MET : MEASURE_BREACHED;
  return pausedAt !== null && pausedAt < due ? MEASURE_PAUSED : due;
}

export async function generateTickets(ctx: Ctx, opts: GenerateOptions): Promise<{ tickets: number; messages: number }> {
  const db = ctx.db;
  // an earlier bulk run that was interrupted left indexes and triggers aside: put them back first
  await restoreSetAside(ctx, opts.log);
  const rand = rng(opts.tickets);
  // the time logged has draws of its own: the tickets and messages stay what the same N always gave
  const workRand = rng(opts.tickets ^ 0x5eed);
  const pickW = <T>(table: [T, number][]) => {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = rand() * total;
    for (const [v, w] of table) if ((r -= w) < 0) return v;
    return table[table.length - 1][0];
  };
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const zEn = zipf(EN_WORDS.length);
  const zRu = zipf(RU_WORDS.length);
  const word = (ru: boolean) => {
    const list = ru ? RU_WORDS : EN_WORDS;
    const c = ru ? zRu : zEn;
    const r = rand();
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  };
  // rare, selective tokens: error codes, host and asset names
  const rare = () => {
    const r = rand();
    if (r < 0.4) return `0x${Math.floor(rand() * 0xffff).toString(16).padStart(4, '0')}`;
    if (r < 0.7) return `ws-${Math.floor(rand() * 20000)}`;
    return `inv${Math.floor(rand() * 500000)}`;
  };
  const sentence = (ru: boolean, n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(rand() < 0.03 ? rare() : word(ru));
    return out.join(' ');
  };
  const batch = opts.batch ?? 5000;
  const now = ctx.clock.now();

  // people: agents, organizations, contacts (created once, reused by later runs)
  let agentIds = opts.agentIds ?? [];
  if (agentIds.length === 0) {
    const count = opts.agents ?? Math.max(5, Math.min(40, Math.round(opts.tickets / 25_000)));
    const hash = await hashPassword('load-test-password');
    const agents = Array.from({ length: count }, (_, j) => ({ email: `agent${String(j + 1).padStart(2, '0')}@load.example`, name: `${pick(FIRST)} ${pick(LAST)} ${j + 1}` }));
    await insertBulkAgents(db, agents, hash, now);
    agentIds = await listActiveAgentIds(db);
  }
  if ((await countOrganizations(db)) < 50) {
    const orgs = Array.from({ length: 100 }, (_, j) => {
      const i = j + 1;
      return { name: i % 2 ? `Client ${String(i).padStart(3, '0')} Ltd` : `ООО «Клиент ${String(i).padStart(3, '0')}»`, currency: i % 2 ? 'USD' : 'RUB' };
    });
    await insertBulkOrganizations(db, orgs, now);
  }
  const orgIds = await listOrganizationIds(db);
  const wantContacts = Math.min(50_000, Math.max(200, Math.round(opts.tickets / 20)));
  const haveContacts = await countContacts(db);
  if (haveContacts < wantContacts) {
    const rows: BulkContact[] = [];
    for (let i = haveContacts; i < wantContacts; i++) {
      const ru = rand() < 0.5;
      rows.push({ name: `${pick(FIRST)} ${pick(LAST)}`, organizationId: pick(orgIds), locale: ru ? 'ru' : 'en', email: `user${i}@client${i % 100}.example` });
    }
    await insertBulkContacts(db, rows, now);
  }
  const contacts = await listContactOrganizations(db);
  const componentIds = await listComponentIds(db);
  const startNumber = await maxTicketNumber(db);

  let messages = 0;
  const span = 2 * 365 * DAY;
  const avg = Math.max(1, opts.messagesPerTicket);
  const bulk = opts.bulk ?? opts.tickets >= 10_000;
  if (bulk) await setAsideForBulkLoad(db, ctx.clock.now());
  // the status histories are counted after the load: the rows go in at their present status, without
  // the events of how they got there, and the build makes each history 'new' until its last update
  await setAsideStatusCounts(db);
  // and the closed tickets' sums are made afresh after it, in one pass over the tickets
  await setAsideClosedSums(db, ctx.clock.now());
  const t0 = Date.now();
  await withBulkCache(db, async () => {
    try {
      await insertAll();
    } finally {
      // also after a failure: the desk must not be left without its indexes
      if (bulk) await restoreSetAside(ctx, opts.log);
      await endSetAsideStatusCounts(db);
    }
    const t2 = Date.now();
    const counted = await buildStatusCounts(db);
    opts.log?.(`status histories of ${counted} tickets counted in ${((Date.now() - t2) / 1000).toFixed(0)} s`);
    const t4 = Date.now();
    const { closed } = await rebuildTicketSums(db);
    opts.log?.(`SLA outcomes of ${closed} closed tickets summed, and the tickets counted per day, in ${((Date.now() - t4) / 1000).toFixed(0)} s`);
    const t3 = Date.now();
    const timed = await measureTicketTimes(db, ctx.calendars, ctx.clock.now());
    opts.log?.(`response and resolution times of ${timed} tickets measured in ${((Date.now() - t3) / 1000).toFixed(0)} s`);
    // bulk inserts leave SQLite's full-text indexes in many segments: merge them as an admin would after an import; update the statistics
    const t1 = Date.now();
    await optimizeAfterBulkLoad(db);
    opts.log?.(`${db.engine === 'sqlite' ? 'full-text index merged and ' : ''}statistics updated in ${((Date.now() - t1) / 1000).toFixed(0)} s`);
  });
  return { tickets: opts.tickets, messages };

  /**
   * The time logged on a ticket in one to three entries of whole quarter hours, by its assignee (or
   * another agent), spread from its creation to its last activity; about one entry in seven is the
   * desk's own time, not billed to the client's contract.
   */
  function worklogsOf(logged: number, assignee: number | null, created: number, lastAt: number): BulkWorklog[] {
    const quarters = logged / 15;
    if (quarters < 1) return [];
    const parts = Math.min(quarters, 1 + Math.floor(workRand() * 3));
    const out: BulkWorklog[] = [];
    let left = quarters;
    for (let i = 0; i < parts; i++) {
      const q = i === parts - 1 ? left : 1 + Math.floor(workRand() * (left - (parts - i - 1)));
      left -= q;
      out.push({
        userId: assignee !== null && workRand() < 0.85 ? assignee : agentIds[Math.floor(workRand() * agentIds.length)],
        minutes: q * 15, billable: workRand() >= 0.15, workedAt: created + Math.floor(((lastAt - created) * (i + 1)) / (parts + 1)),
      });
    }
    return out;
  }

  async function insertAll(): Promise<void> {
    for (let done = 0; done < opts.tickets; ) {
      const n = Math.min(batch, opts.tickets - done);
      const rows: BulkTicket[] = [];
      for (let i = 0; i < n; i++) {
        const k = done + i;
        const created = now - span + Math.floor((span * (k + 1)) / (opts.tickets + 1));
        const age = now - created;
        const ru = rand() < 0.5;
        const subject = sentence(ru, 3 + Math.floor(rand() * 5));
        const status = pickW(age > 21 * DAY ? STATUS_OLD : STATUS_RECENT);
        const priority = pickW(PRIORITY);
        const channel = pickW(CHANNEL);
        const contact = pick(contacts);
        const assignee = status === 'new' || (status === 'triaged' && rand() < 0.7) ? null : pick(agentIds);
        const closed = status === 'resolved' || status === 'closed';
        const msgCount = avg <= 2 ? avg : 2 + Math.floor(rand() * (2 * avg - 3));
        const lastAt = Math.min(now - MINUTE, created + (msgCount - 1) * (20 + Math.floor(rand() * 600)) * MINUTE);
        const estimate = rand() < 0.6 ? 30 * (1 + Math.floor(rand() * 8)) : null;
        const logged = closed ? 15 * (1 + Math.floor(rand() * 12)) : status === 'in_progress' ? 15 * Math.floor(rand() * 6) : 0;
        const responded = status === 'new' ? null : created + Math.floor(rand() * FIRST_RESPONSE_MIN[priority] * 1.3) * MINUTE;
        const paused = status === 'pending_requester' || status === 'pending_third_party' ? lastAt : null;
        // the fields in the order the random draws were always made: the same N gives the same desk
        const ticket: BulkTicket = {
          number: startNumber + k + 1, subject, status, priority, type: pickW(TYPE), category: pickW(CATEGORY), channel,
          componentId: componentIds.length && rand() < 0.9 ? pick(componentIds) : null, requesterId: contact.id,
          organizationId: contact.org, assigneeId: assignee, estimateMinutes: estimate, loggedMinutes: logged,
          firstResponseDueAt: created + FIRST_RESPONSE_MIN[priority] * MINUTE, firstRespondedAt: responded,
          resolutionDueAt: created + RESOLUTION_MIN[priority] * MINUTE, slaPausedAt: paused,
          // the SLA report's marks (SlaMeasures): met in time, late, or the due time (none while paused).
          // Load-test tickets have due times but no clock (sla_state): their marks are written here
          // directly, so the SLA reports count them as a desk of that size would
          slaFrMark: markOf(created + FIRST_RESPONSE_MIN[priority] * MINUTE, responded, paused),
          slaResMark: markOf(created + RESOLUTION_MIN[priority] * MINUTE, closed ? lastAt : null, paused),
          resolvedAt: closed ? lastAt : null, closedAt: status === 'closed' ? lastAt + 3 * DAY : null,
          lastActivityAt: lastAt, createdAt: created, updatedAt: lastAt, messages: [],
          worklogs: worklogsOf(logged, assignee, created, lastAt),
        };
        for (let m = 0; m < msgCount; m++) {
          const fromAgent = m % 2 === 1 && assignee !== null;
          const note = m > 0 && m % 4 === 3;
          const message: BulkMessage = {
            kind: note ? 'note' : 'reply', direction: note ? 'internal' : fromAgent ? 'out' : 'in', channel,
            authorUserId: fromAgent || note ? (assignee ?? agentIds[0]) : null, authorContactId: fromAgent || note ? null : contact.id,
            subject: m === 0 ? subject : null, bodyText: sentence(ru, channel === 'sms' ? 8 + Math.floor(rand() * 12) : 20 + Math.floor(rand() * 50)),
            createdAt: created + Math.floor(((lastAt - created) * m) / Math.max(1, msgCount - 1)),
          };
          ticket.messages.push(message);
        }
        rows.push(ticket);
      }
      await insertBulkTickets(db, rows);
      messages += rows.reduce((sum, t) => sum + t.messages.length, 0);
      done += n;
      if (done % 50_000 === 0 || done === opts.tickets) opts.log?.(`generated ${done}/${opts.tickets} tickets, ${messages} messages (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
}
