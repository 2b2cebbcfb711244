// `helpdesk migrate-to-postgres` as an admin runs it: a SQLite desk with real data (the demo, mail
// through intake, and a row in every other table through the desk's own actions; attachments and
// raw mail under DATA_DIR, one of several chunks), copied by the command in a process of its own
// into a real PostgreSQL server, and compared row by row and file by file.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDeps } from '../../../src/bootstrap.ts';
import { loadConfig } from '../../../src/config.ts';
import { closeDb, type Db } from '../../../src/db/client.ts';
import { closedTicketSumChanges, closedTicketSumState, statusCountChanges, ticketDayCountChanges, worklogDaySumChanges } from '../../../src/db/schema.ts';
import { copyPlan, ROW_TABLES, SCHEMA_TABLES } from '../../../src/db/copy-plan.ts';
import { CHUNK_BYTES, createDatabaseFileStore } from '../../../src/store/database-file-store.ts';
import { listStoredFiles, sha256Hex } from '../../../src/store/file-store.ts';
import { openDatabase } from '../../../src/db/open.ts';
import { migratePostgres, openPostgres } from '../../../src/db/postgres.ts';
import { buildServices, type Services } from '../../../src/services.ts';
import { createCannedReply } from '../../../src/actions/canned-replies.ts';
import { createKbArticle, createKbCategory, publishKbArticle, recordKbDeflection, staffReader, voteKbArticle } from '../../../src/actions/kb.ts';
import { createContact } from '../../../src/actions/contacts.ts';
import { createMailbox } from '../../../src/actions/mailboxes.ts';
import { saveView } from '../../../src/actions/saved-views.ts';
import { signIn } from '../../../src/actions/sign-in.ts';
import { linkTickets, mergeTickets } from '../../../src/actions/ticket-links.ts';
import { replyToTicket } from '../../../src/actions/tickets.ts';
import { createUser } from '../../../src/actions/users.ts';
import { logWork } from '../../../src/actions/worklog.ts';
import { touchPresence } from '../../../src/store/presence.ts';
import { buildStatusCounts, forgetStatusCounts } from '../../../src/store/status-counts.ts';
import { hitRateLimit } from '../../../src/store/rate-limits.ts';
import { insertSession } from '../../../src/store/sessions.ts';
import { webhookInboxStore } from '../../../src/store/webhook-inbox.ts';
import { DEMO_PASSWORD } from '../../../src/demo/seed.ts';
import { requestPortalSignIn } from '../../../src/actions/portal-sign-in.ts';
import { findUserByEmail, type User } from '../../../src/store/users.ts';
import { ticket } from '../../helpers/factories.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => path.join(root, 'fixtures/email', name);

let cluster: PostgresCluster;
let dir: string;
let env: Record<string, string>;

const run = (args: string[], extraEnv: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/cli.ts'), ...args], {
    cwd: dir, env: { ...process.env, ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const config = (over: Record<string, string> = {}) => loadConfig({ ...env, LOG_LEVEL: 'silent', ...over });

/** A desk's own services on the database DATABASE_URL names (over: another one). */
async function withDesk<T>(fn: (s: Services, db: Db) => Promise<T>, over: Record<string, string> = {}): Promise<T> {
  const deps = await openDeps(config(over));
  try {
    return await fn(buildServices(deps), deps.db);
  } finally {
    await closeDb(deps.db);
  }
}

const BIG = randomBytes(2 * CHUNK_BYTES + 12_345);

/** A row in each table the demo leaves empty, written by the actions that write them in the desk. */
async function fillTheRest(s: Services, db: Db): Promise<void> {
  const { ctx } = s;
  const now = ctx.clock.now();
  // the demo's admin (it makes one on a desk without), and a user the demo does not make
  const admin = (await findUserByEmail(db, 'admin@desk.example'))! as User;
  await createUser(ctx, { email: 'auditor@desk.example', name: 'Auditor', role: 'manager', password: DEMO_PASSWORD });
  const agent = (await findUserByEmail(db, 'dmitry@desk.example'))! as User;
  const actor = { kind: 'user' as const, user: admin };
  const a = await ticket(s, admin, { subject: 'Сканер не видит сеть', body: 'Сканер на 2 этаже не видит сеть.' });
  const b = await ticket(s, admin, { subject: 'Scanner offline again', body: 'Same scanner, again.' });
  const c = await ticket(s, admin, { subject: 'Duplicate of the scanner', body: 'Scanner!' });
  await replyToTicket(ctx, actor, {
    ticketId: a.id, body: 'Перезагрузите, пожалуйста, сканер. Журнал во вложении.', cc: ['boss@client.example'],
    attachments: [
      { filename: 'журнал.txt', contentType: 'text/plain', content: Buffer.from('line 1\nline 2\n') },
      { filename: 'dump.bin', contentType: 'application/octet-stream', content: BIG }, // several chunks in PostgreSQL
    ],
  });
  await logWork(ctx, actor, { ticketId: a.id, minutes: 45, note: 'Заменил роутер', billable: false });
  await linkTickets(ctx, actor, { ticketId: a.id, otherNumber: b.number });
  await mergeTickets(ctx, actor, { sourceId: c.id, targetNumber: b.number, confirm: true });
  await createContact(ctx, admin, { name: 'Иван Смирнов', emails: ['ivan@client.example'], phones: ['+79161234567'] });
  expect(await requestPortalSignIn(ctx, { address: 'ivan@client.example', client: '203.0.113.11' })).toBe('queued');
  await createMailbox(ctx, admin, { name: 'Support', address: 'help@desk.example', host: 'imap.desk.example', port: 993, secure: 'on', username: 'help', password: 'imap secret', folder: 'INBOX', enabled: 'on' });
  await createCannedReply(ctx, admin, { title: 'Restart', body: 'Please restart the device and tell us if it helps.' });
  await saveView(ctx, agent, { name: 'Mine, open', query: { assignee: 'me' } });
  const printers = await createKbCategory(ctx, admin, { name: 'Принтеры' });
  const article = await createKbArticle(ctx, admin, { title: 'Принтер не печатает', body: 'Проверьте **бумагу**.', categoryId: printers.id, visibility: 'public', locale: 'ru' });
  await publishKbArticle(ctx, admin, article.id, true);
  await voteKbArticle(ctx, staffReader(agent), article.id, true);
  await recordKbDeflection(ctx, { access: 'public', voter: { session: 'anonymous' } }, article.id);
  expect((await signIn(ctx, { email: agent.email, password: 'wrong', ip: '203.0.113.9' })).ok).toBe(false);
  expect((await signIn(ctx, { email: admin.email, password: DEMO_PASSWORD, ip: '203.0.113.10' })).ok).toBe(true);
  await insertSession(db, { id: 'f'.repeat(64), userId: admin.id, createdAt: now, expiresAt: now + 86_400_000, lastSeenAt: now, userAgent: 'Firefox', ip: '203.0.113.10' });
  await touchPresence(db, { ticketId: a.id, userId: agent.id, name: agent.name, mode: 'replying', at: now });
  await hitRateLimit(db, 'api-bad-token:203.0.113.9', now, 15 * 60_000);
  await webhookInboxStore(db, 'sms').insert({ key: 'SM0001', sender: '+79161234567', raw: '{"Body":"Принтер снова"}', hasMedia: false, receivedAt: now }, now);
  // the status histories half counted (as after an upgrade): the copy takes the note of those left
  await forgetStatusCounts(db);
  expect(await buildStatusCounts(db, { batch: 100, deadline: 0 })).toBe(100);
}

/** Every row of a table, every column (generated ones too), in primary key order as text. */
async function rowsOf(db: Db, table: SQLiteTable): Promise<Record<string, unknown>[]> {
  const cfg = getTableConfig(table);
  const plan = copyPlan([table])[0];
  const rows = await db.all(`select ${cfg.columns.map((c) => `"${c.name}"`).join(', ')} from "${cfg.name}"`);
  const key = (r: Record<string, unknown>) => JSON.stringify(plan.key.map((k) => r[k]));
  return rows.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

const names = SCHEMA_TABLES.map((t) => getTableConfig(t).name).sort();

describe('helpdesk migrate-to-postgres', () => {
  let target: string;

  beforeAll(async () => {
    cluster = await startPostgres();
    dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-migrate-'));
    env = { DATABASE_URL: `file:${path.join(dir, 'desk.sqlite')}`, DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'test', SESSION_SECRET: 's'.repeat(40) };
    // 300 generated tickets: the messages take more than one page of the copy
    expect(run(['demo', '--tickets', '300']).code).toBe(0);
    expect(run(['import', fixture('attachment-names-from-cid.eml')]).out).toMatch(/^created/);
    expect(run(['import', fixture('gmail-reply.eml')]).code).toBe(0);
    expect(run(['token', 'create', '--user', 'olga@desk.example', '--name', 'reports']).code).toBe(0);
    await withDesk(fillTheRest);
    // a file where desks of earlier versions kept it (DATA_DIR/files/ab/cd/<sha256>)
    const old = Buffer.from('kept the old way');
    const sha = sha256Hex(old);
    mkdirSync(path.join(dir, 'files', sha.slice(0, 2), sha.slice(2, 4)), { recursive: true });
    writeFileSync(path.join(dir, 'files', sha.slice(0, 2), sha.slice(2, 4), sha), old);
    target = cluster.url(await cluster.createDatabase('desk'));
  }, 240_000);
  afterAll(() => {
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table of the desk row by row: same ids, same values, generated columns alike', async () => {
    const source = await openDatabase(config().database);
    try {
      // every table of the schema has rows to compare, so a table the copy missed cannot pass
      // (but the file store's: a SQLite desk keeps its files under DATA_DIR)
      expect(await source.value('select count(*) from stored_files')).toBe(0);
      // (and PostgreSQL's logs of status changes, closed tickets' sums, day counts and minutes logged, which SQLite's triggers write
      // straight into the counts and sums; and the note of sums set aside, which a desk has only
      // during a bulk load: the triggers' rows would show beside the copied sums)
      const empty: SQLiteTable[] = [statusCountChanges, closedTicketSumChanges, ticketDayCountChanges, worklogDaySumChanges, closedTicketSumState];
      for (const t of ROW_TABLES.filter((x) => !empty.includes(x))) expect(await source.value<number>(`select count(*) from "${getTableConfig(t).name}"`), getTableConfig(t).name).toBeGreaterThan(0);
      // and the schema's tables are all of SQLite's, but for the full-text index (PostgreSQL indexes the text itself)
      const virtual = await source.column<string>("select name from sqlite_master where type = 'table' and sql like 'CREATE VIRTUAL TABLE%'");
      const tables = await source.column<string>("select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' and name <> '__drizzle_migrations'");
      expect(virtual.sort()).toEqual(['kb_articles_fts', 'messages_fts', 'tickets_fts']);
      expect(tables.filter((n) => !virtual.some((v) => n === v || n.startsWith(`${v}_`))).sort()).toEqual(names);

      const files = [...listStoredFiles(dir)].flat();
      expect(files.length).toBeGreaterThan(10); // raw mail and attachments of the demo and the imports
      expect(files.some((f) => f.size === BIG.length)).toBe(true);
      const bytes = files.reduce((n, f) => n + f.size, 0);

      const r = run(['migrate-to-postgres', '--to', target]);
      expect(r.code, r.err).toBe(0);
      // the progress, on stderr: plain lines, as stderr is not a terminal here
      expect(r.err).toMatch(new RegExp(`^files: 0%, 0 of ${files.length.toLocaleString('en')} files, 0 B of [\\d.]+ MiB\n`));
      expect(r.err).toMatch(new RegExp(`\nfiles: done, ${files.length.toLocaleString('en')} of ${files.length.toLocaleString('en')} files, [\\d.]+ MiB of [\\d.]+ MiB in [\\d.]+ s\n`));
      expect(r.err).toMatch(/\nrows: 0%, 0 of [\d,]+ rows\n(.*\n)*rows: done, ([\d,]+) of \2 rows in [\d.]+ s\nbuilding \d+ indexes\n/);
      expect(r.err).not.toMatch(/\r|\x1b/);
      const n = files.length.toLocaleString('en');
      expect(r.out).toMatch(new RegExp(`\n  files: ${n} \\([\\d.]+ MiB\\) under DATA_DIR, ${n} \\([\\d.]+ MiB\\) of them in the database; ${n} \\([\\d.]+ MiB\\) copied now, 0 \\(0 B\\) by an earlier run\n`));
      const messages = await source.value<number>('select count(*) from messages');
      expect(r.out).toMatch(new RegExp(`\\n  messages +${messages!.toLocaleString('en')} +[\\d.]+ s\\n`));
      expect(r.out).toMatch(/\n {2}total +[\d,]+ +[\d.]+ s {2}\([\d,]+ rows\/s, of which [\d.]+ s building the indexes\)\n/);
      expect(r.out).toMatch(/every file under .* is in the database/);
      expect(r.out).not.toMatch(/note:/); // no file the tables refer to is missing

      const pg = openPostgres(target, { max: 2 });
      try {
        expect((await pg.column<string>("select table_name from information_schema.tables where table_schema = 'public'")).sort()).toEqual(names);
        for (const t of ROW_TABLES) expect(await rowsOf(pg, t), getTableConfig(t).name).toEqual(await rowsOf(source, t));
        // every file, read through the desk's file store on PostgreSQL (no DATA_DIR to fall back on), has the same bytes
        expect(await pg.get('select count(*) as files, sum(size) as bytes from stored_files')).toEqual({ files: files.length, bytes });
        const store = createDatabaseFileStore(pg);
        for (const f of files) expect((await store.read(f.kind, f.sha256)).equals(readFileSync(f.path)), f.path).toBe(true);
        expect(await pg.value("select count(*) from stored_file_chunks where kind = 'files' and sha256 = ?", sha256Hex(BIG))).toBe(3);
        // and every attachment and raw mail the tables name is there
        for (const a of await pg.all<{ sha256: string }>('select sha256 from attachments')) expect(await store.has('files', a.sha256)).toBe(true);
        for (const m of await pg.all<{ sha: string }>('select raw_sha256 as sha from inbound_messages')) expect(await store.has('raw', m.sha)).toBe(true);
      } finally {
        await pg.close();
      }
    } finally {
      await closeDb(source);
    }
  }, 120_000);

  it('runs the desk on the copy: a new ticket takes the next id and number, and every table its next id', async () => {
    const before = await openDatabase(config().database);
    const last = await before.get<{ id: number; number: number }>('select max(id) as id, max(number) as number from tickets');
    await closeDb(before);
    const created = await withDesk(async (s, db) => {
      const admin = (await findUserByEmail(db, 'admin@desk.example'))!;
      const t = await ticket(s, admin, { subject: 'First ticket on PostgreSQL', body: 'Hello' });
      // every identity column goes on after its largest id (one past it; 1 in an empty table)
      const identities = await db.all<{ t: string; c: string }>("select table_name as t, column_name as c from information_schema.columns where table_schema = 'public' and is_identity = 'YES'");
      expect(identities.length).toBeGreaterThan(20);
      for (const { t: table, c } of identities) {
        const max = (await db.value<number | null>(`select max("${c}") from "${table}"`)) ?? 0;
        expect(await db.value<number>('select nextval(pg_get_serial_sequence(?, ?))', `"${table}"`, c), table).toBe(max + 1);
      }
      return t;
    }, { DATABASE_URL: target });
    expect(created).toMatchObject({ id: last!.id + 1, number: last!.number + 1 });
  }, 60_000);

  it('refuses a target that has rows, and writes nothing to it', async () => {
    const pg = openPostgres(target, { max: 1 });
    const count = () => pg.value<number>('select count(*) from tickets');
    try {
      const before = await count();
      const again = run(['migrate-to-postgres', '--to', target]);
      expect(again.code).toBe(65);
      expect(again.err).toMatch(/The target database is not empty: .* already have rows\. The copy goes into an empty database only/);
      expect(await count()).toBe(before);
    } finally {
      await pg.close();
    }
    // a database with nothing but one user is not empty either
    const other = cluster.url(await cluster.createDatabase('one_user'));
    const db = openPostgres(other, { max: 1 });
    try {
      await migratePostgres(db);
      await db.run("insert into users (email, name, role, created_at, updated_at) values ('x@desk.example', 'X', 'admin', 1, 1)");
      const r = run(['migrate-to-postgres', '--to', other]);
      expect(r.code).toBe(65);
      expect(r.err).toMatch(/not empty: users already has rows/);
      expect(await db.value('select count(*) from tickets')).toBe(0);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('refuses a desk that runs on PostgreSQL already, and a missing --to', async () => {
    const fromPg = run(['migrate-to-postgres', '--to', cluster.url(await cluster.createDatabase('unused'))], { DATABASE_URL: target });
    expect(fromPg.code).toBe(64);
    expect(fromPg.err).toMatch(/runs on postgres:\/\/.* already: migrate-to-postgres copies from the SQLite database/);
    const noTarget = run(['migrate-to-postgres']);
    expect(noTarget.code).toBe(64);
    expect(noTarget.err).toMatch(/Usage: helpdesk migrate-to-postgres --to postgres:/);
  }, 60_000);
});
