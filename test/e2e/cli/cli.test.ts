// The `helpdesk` command as a user or an MTA runs it: real process, real database.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { closeDb } from '../../../src/db/client.ts';
import { openDatabase } from '../../../src/db/open.ts';
import { newDatabaseUrl } from '../../helpers/deps.ts';
import { lockForWrites } from '../../helpers/lock-database.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const fixture = (name: string) => path.join(root, 'fixtures/email', name);

// each run of the CLI starts a process that compiles the sources (tsx): seconds apiece on a busy machine
describe('helpdesk CLI', { timeout: 120_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  const run = (args: string[], input?: Buffer | string, extraEnv: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(root, 'src/cli.ts'), ...args], {
      cwd: dir, env: { ...process.env, ...env, ...extraEnv }, input, encoding: 'utf8', timeout: 30_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const config = () => loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const count = async (sql: string) => {
    const db = await openDatabase(config().database);
    try {
      return Number(await db.value(sql));
    } finally {
      await closeDb(db);
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-cli-'));
    env = { DATABASE_URL: await newDatabaseUrl(dir), DATA_DIR: dir, LOG_LEVEL: 'warn', NODE_ENV: 'test' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a mail, threads the [#N] reply, and ignores the same file twice', async () => {
    const first = run(['import', fixture('new-ticket-plain.eml')]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^created ticket id 1/);
    const again = run(['import', fixture('new-ticket-plain.eml')]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^duplicate/);
    const reply = run(['import', '-'], readFileSync(fixture('reply-subject-tag.eml')));
    expect(reply.out).toMatch(/^appended ticket id 1/);
    expect(await count('select count(*) n from tickets')).toBe(1);
    expect(await count('select count(*) n from messages')).toBe(2);
  });

  it('quarantines an empty or corrupt file, says so, and can reprocess it', async () => {
    const empty = path.join(dir, 'empty.eml');
    writeFileSync(empty, '');
    const r = run(['import', empty]);
    expect(r.code).toBe(0); // kept in quarantine: the MTA must not retry
    expect(r.err).toMatch(/quarantined \(inbound #1\): empty message/);
    const corrupt = run(['import', fixture('corrupt-no-headers.eml')]);
    expect(corrupt.err).toMatch(/quarantined \(inbound #2\)/);
    expect(await count("select count(*) n from inbound_messages where outcome = 'quarantined'")).toBe(2);
    const re = run(['reprocess', '1']);
    expect(re.code).toBe(65);
    expect(re.out).toMatch(/#1: quarantined — empty message/);
  });

  it('exits 75 (retry later) when the database is locked by another writer', async () => {
    expect(run(['migrate']).code).toBe(0);
    const db = await openDatabase(config().database);
    const lock = await lockForWrites({ db, config: config() });
    try {
      const r = run(['import', fixture('new-ticket-plain.eml')]);
      expect(r.code).toBe(75);
      expect(r.err).toMatch(/temporary failure|database is locked|lock timeout/);
    } finally {
      await lock.release();
      await closeDb(db);
    }
    expect(run(['import', fixture('new-ticket-plain.eml')]).out).toMatch(/^created/);
  });

  it('adds users and refuses bad input with a clear message', async () => {
    const ok = run(['user', 'add', '--email', 'olga@desk.example', '--name', 'Olga', '--role', 'manager'], 'a long enough password\n');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Created manager olga@desk.example/);
    const dup = run(['user', 'add', '--email', 'olga@desk.example', '--password', 'another password']);
    expect(dup.code).toBe(65);
    expect(dup.err).toMatch(/already exists/);
    const short = run(['user', 'add', '--email', 'x@desk.example', '--password', 'short']);
    expect(short.err).toMatch(/at least 10 characters/);
    expect(run(['user', 'add', '--email', 'y@desk.example', '--role', 'boss', '--password', 'long enough pw']).code).toBe(64);
    // the audit log: one entry, made by the system, without the password
    expect(await count("select count(*) n from audit_log where actor_kind = 'system' and actor_user_id is null and subject_kind = 'user' and action = 'created' and subject_label = 'Olga <olga@desk.example>'")).toBe(1);
    expect(await count("select count(*) n from audit_log where after like '%argon2%' or after like '%long enough%'")).toBe(0);
  });

  it('makes an API token for a user and prints it on the last line (only its hash is stored)', async () => {
    expect(run(['user', 'add', '--email', 'bot@desk.example', '--name', 'Bot', '--password', 'a long enough password']).code).toBe(0);
    const r = run(['token', 'create', '--user', 'BOT@desk.example', '--name', 'zabbix']);
    expect(r.code).toBe(0);
    const token = r.out.trim().split('\n').pop()!;
    expect(token).toMatch(/^hd_[A-Za-z0-9_-]{43}$/);
    const hash = createHash('sha256').update(token).digest('hex');
    expect(await count(`select count(*) n from api_tokens where token_hash = '${hash}' and name = 'zabbix'`)).toBe(1);
    expect(await count(`select count(*) n from api_tokens where token_hash = '${token}'`)).toBe(0);
    expect(run(['token', 'create', '--user', 'bot@desk.example', '--name', 'reports', '--read-only', '--expires-days', '30']).code).toBe(0);
    expect(await count(`select count(*) n from api_tokens where name = 'reports' and scope = 'read' and expires_at = created_at + 2592000000`)).toBe(1);
    expect(await count(`select count(*) n from api_tokens where name = 'zabbix' and scope = 'full' and expires_at is null`)).toBe(1);
    expect(run(['token', 'create', '--user', 'nobody@desk.example']).code).toBe(65);
    expect(run(['token', 'create']).code).toBe(64);
    expect(await count("select count(*) n from audit_log where actor_kind = 'system' and subject_kind = 'api_token' and action = 'created'")).toBe(2);
  });

  it('measures the SLA clocks that are not measured yet, or all of them again', async () => {
    for (const mail of ['new-ticket-plain.eml', 'reply-subject-tag.eml']) expect(run(['import', fixture(mail)]).code).toBe(0);
    const measured = "select count(*) n from tickets where sla_state is not null and sla_next_met is not null";
    expect(await count(measured)).toBe(1);
    expect(run(['measure-sla']).out).toContain('Done: 0 SLA clocks measured');
    // a clock kept before its measures, as after an upgrade
    const db = await openDatabase(config().database);
    await db.run('update tickets set sla_next_met = null');
    await closeDb(db);
    expect(await count(measured)).toBe(0);
    const r = run(['measure-sla']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Done: 1 SLA clocks measured; none is left to measure.');
    expect(await count(measured)).toBe(1);
    const again = run(['measure-sla', '--again']);
    expect(again.out).toContain('Forgot the measures of 1 SLA clocks.');
    expect(again.out).toContain('Done: 1 SLA clocks measured');
    expect(await count(measured)).toBe(1);
  });

  it('counts the status histories that are not counted yet, or all of them again', async () => {
    for (const mail of ['new-ticket-plain.eml', 'reply-subject-tag.eml']) expect(run(['import', fixture(mail)]).code).toBe(0);
    const tickets = await count('select count(*) n from tickets');
    // the whole desk's counts, with the changes PostgreSQL's triggers log beside them
    const desk = "select coalesce(sum(n), 0) n from (select dim, n from status_counts union all select dim, n from status_count_changes) c where dim = 'all'";
    expect(await count(desk)).toBe(tickets);
    expect(run(['count-statuses']).out).toContain('Done: 0 status histories counted');
    // histories kept before their counts, as after an upgrade
    const db = await openDatabase(config().database);
    await db.run('delete from status_counts');
    await db.run('delete from status_steps');
    await db.run("insert into status_count_state (name, built, upto) select 'status', 0, max(id) from tickets");
    await closeDb(db);
    const r = run(['count-statuses']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Done: ${tickets} status histories counted; none is left to count.`);
    expect(await count(desk)).toBe(tickets);
    expect(await count('select count(*) n from status_count_state')).toBe(0);
    const again = run(['count-statuses', '--again']);
    expect(again.out).toContain(`Forgot the status counts of ${tickets} tickets.`);
    expect(again.out).toContain(`Done: ${tickets} status histories counted`);
    expect(await count(desk)).toBe(tickets);
  });

  it('measures the response and resolution times not measured yet, or all of them again', async () => {
    expect(run(['import', fixture('new-ticket-plain.eml')]).code).toBe(0);
    // answered after an hour and a half, resolved after three hours (no SLA policy: wall-clock time)
    const db = await openDatabase(config().database);
    await db.run('update tickets set first_responded_at = created_at + 5400000, resolved_at = created_at + 10800000');
    await closeDb(db);
    const times = 'select count(*) n from tickets where fr_minutes = 90 and res_minutes = 180';
    expect(await count(times)).toBe(0);
    const r = run(['measure-times']);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Done: 1 tickets' response and resolution times measured; none is left to measure.");
    expect(await count(times)).toBe(1);
    expect(run(['measure-times']).out).toContain("Done: 0 tickets'");
    const again = run(['measure-times', '--again']);
    expect(again.out).toContain('Forgot the times of 1 tickets.');
    expect(again.out).toContain("Done: 1 tickets' response and resolution times measured");
    expect(await count(times)).toBe(1);
  });

  it('sums the closed tickets, counts the tickets and sums the logged time per day afresh, also after the sums were left aside', async () => {
    expect(run(['import', fixture('new-ticket-plain.eml')]).code).toBe(0);
    const db = await openDatabase(config().database);
    await db.run("update tickets set status = 'resolved', resolved_at = created_at + 60000");
    await db.run('insert into worklogs (ticket_id, user_id, minutes, billable, worked_at, created_at) select id, null, 45, 1, created_at, created_at from tickets');
    const closed = await count("select count(*) n from tickets where status = 'resolved'");
    expect(closed).toBeGreaterThan(0);
    // (on PostgreSQL the triggers' changes wait beside the sums for the scheduler)
    const summed = `select coalesce(sum(tickets), 0) n from (select tickets from closed_ticket_sums where dim = 'all' and grain = 86400000
      union all select tickets from closed_ticket_sum_changes where dim = 'all' and grain = 86400000) s`;
    expect(await count(summed)).toBe(closed);
    const tickets = await count('select count(*) n from tickets');
    const counted = `select coalesce(sum(created), 0) n from (select created from ticket_day_counts where dim = 'all' and grain = 86400000
      union all select created from ticket_day_count_changes where dim = 'all' and grain = 86400000) s`;
    expect(await count(counted)).toBe(tickets);
    const logged = await count('select coalesce(sum(minutes), 0) n from worklogs');
    const loggedSummed = `select coalesce(sum(minutes), 0) n from (select minutes from worklog_day_sums where dim = 'all' and grain = 86400000
      union all select minutes from worklog_day_sum_changes where dim = 'all' and grain = 86400000) s`;
    expect(logged).toBeGreaterThan(0);
    expect(await count(loggedSummed)).toBe(logged);
    // a bulk load cut short: the sums were left aside and are behind
    await db.run("insert into closed_ticket_sum_state (name, since) values ('set aside', 0)");
    await db.run('delete from closed_ticket_sums');
    await db.run('delete from closed_ticket_sum_changes');
    await db.run('delete from ticket_day_counts');
    await db.run('delete from ticket_day_count_changes');
    await db.run('delete from worklog_day_sums');
    await db.run('delete from worklog_day_sum_changes');
    await closeDb(db);
    expect(await count(summed)).toBe(0);
    expect(await count(counted)).toBe(0);
    const r = run(['sum-tickets']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Done: the SLA outcomes of ${closed} closed tickets summed, ${tickets} tickets counted per day of creation and of resolution, and ${logged} minutes of logged time summed per day, afresh.`);
    expect(await count(summed)).toBe(closed);
    expect(await count(loggedSummed)).toBe(logged);
    expect(await count(counted)).toBe(tickets);
    expect(await count('select count(*) n from closed_ticket_sum_state')).toBe(0);
  });

  it('lists the sign-in locks and lifts one, for a desk whose admins are all locked out', async () => {
    expect(run(['migrate']).code).toBe(0);
    const db = await openDatabase(config().database);
    const now = Date.now();
    const add = 'insert into sign_in_failures (email, ip, at) values (?, ?, ?)';
    for (let i = 1; i <= 10; i++) await db.run(add, 'root@desk.test', `192.0.2.${i}`, now - i * 1000);
    for (let i = 1; i <= 10; i++) await db.run(add, `x${i}@desk.test`, '203.0.113.5', now - i * 1000);
    await closeDb(db);

    const list = run(['unlock']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('account root@desk.test: 10 failures from 10 addresses');
    expect(list.out).toContain('address 203.0.113.5: 10 failures on 10 accounts');
    expect(list.out).toContain('helpdesk unlock --account root@desk.test');

    const lifted = run(['unlock', '--account', 'Root@Desk.test']);
    expect(lifted.code).toBe(0);
    expect(lifted.out).toContain('Lifted: 10 failures of Root@Desk.test');
    expect(await count("select count(*) n from sign_in_failures where email = 'root@desk.test' and email_lifted = 0")).toBe(0);
    // the addresses those failures came from keep their counts; the other lock stays
    expect(await count("select count(*) n from sign_in_failures where email = 'root@desk.test' and ip_lifted = 0")).toBe(10);
    const after = run(['unlock']);
    expect(after.out).not.toContain('root@desk.test');
    expect(after.out).toContain('address 203.0.113.5');
    expect(run(['unlock', '--ip', '203.0.113.5']).out).toContain('Lifted: 10 failures');
    expect(run(['unlock']).out).toContain('No account or address is locked.');
    expect(run(['unlock', '--account', 'a@b.c', '--ip', '1.2.3.4']).code).toBe(64);
  });

  it('stops with every configuration problem named', async () => {
    const r = run(['migrate'], undefined, { PORT: 'eighty', PUBLIC_URL: 'nope' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PORT: /);
    expect(r.err).toMatch(/PUBLIC_URL: must be an absolute URL/);
  });

  it('seeds a demo desk', async () => {
    const r = run(['demo']);
    expect(r.code).toBe(0);
    // who is who: every printed account exists with that role and language
    expect(r.out).toMatch(/^account\s+password\s+name\s+role\s+language$/m);
    expect(r.out).toMatch(/^admin@desk\.example\s+demo-password\s+Alex Morgan\s+admin\s+English$/m); // no admin yet: the demo makes one
    expect(r.out).toMatch(/^olga@desk\.example\s+demo-password\s+Olga Smirnova\s+manager\s+English$/m);
    expect(r.out).toMatch(/^dmitry@desk\.example\s+demo-password\s+Дмитрий Иванов\s+agent\s+Russian$/m);
    expect(r.out).toMatch(/^ {2}http:\/\/localhost:3000\/portal\/t4\.\S+$/m);
    expect(await count("select count(*) n from users where email = 'dmitry@desk.example' and role = 'agent' and locale = 'ru'")).toBe(1);
    expect(await count("select count(*) n from users where role = 'admin'")).toBe(1);
    // a tour (src/demo/seed.test.ts has the rest): canned replies in both languages, time logged this
    // month (billable and not), a merged duplicate, and a quiet outbox — nothing queued for the
    // made-up requesters, no "not sent" lines
    expect(await count("select count(*) n from canned_replies where locale = 'ru'")).toBe(2);
    expect(await count("select count(*) n from canned_replies where locale = 'en'")).toBe(2);
    expect(await count('select count(*) n from worklogs where billable = 1')).toBeGreaterThan(2);
    expect(await count('select count(*) n from worklogs where billable = 0')).toBeGreaterThan(0);
    expect(await count("select count(*) n from tickets where merged_into_id is not null and status = 'closed'")).toBe(1);
    expect(await count('select count(*) n from outbox')).toBe(0);
    expect(await count("select count(*) n from messages where event_type = 'outbox'")).toBe(0);
    expect(await count('select count(*) n from tickets')).toBeGreaterThanOrEqual(9);
    expect(await count("select count(*) n from users where role = 'agent'")).toBe(3);
    expect(await count("select count(*) n from tickets where subject like '%принтер%'")).toBe(1);
  });

  it('seeds a demo desk with generated tickets for load tests, numbered after the demo threads', async () => {
    const r = run(['demo', '--tickets', '300']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/generated 300 tickets and \d+ messages/);
    expect(await count('select count(*) n from tickets')).toBe(316);
    expect(await count('select count(distinct number) n from tickets where number between 1 and 316')).toBe(316);
    expect(await count("select count(*) n from users where email like '%@load.example'")).toBe(5);
    expect(await count('select count(*) n from messages m join tickets t on t.id = m.ticket_id where t.number > 16')).toBe(Number(/and (\d+) messages/.exec(r.out)![1]));
  });
});
