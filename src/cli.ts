#!/usr/bin/env node
// The `helpdesk` command line: migrate, user add, import (MTA pipe), reprocess, demo, token create, unlock,
// measure-sla, count-statuses, measure-times, sum-tickets, migrate-to-postgres.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configOrExit, loadDotEnv, openDeps } from './bootstrap.ts';
import { createUserBySystem } from './actions/users.ts';
import { ROLES, type Role } from './db/schema.ts';
import { closeDb } from './db/client.ts';
import { databaseLabel, type Config } from './config.ts';
import { openDatabase } from './db/open.ts';
import { migratePostgres, openPostgres } from './db/postgres.ts';
import { copyToPostgres, CopyRefused, formatCopyResult, targetRows, type CopyResult } from './db/copy-to-postgres.ts';
import { createProgress } from './db/copy-progress.ts';
import { checkFilesInPostgres, copyFilesToPostgres, countMissingFiles, formatFilesCheck, tallyStoredFiles } from './store/copy-files-to-postgres.ts';
import { buildServices } from './services.ts';
import { TemporaryIntakeError } from './intake/receive.ts';
import { AppError } from './domain/errors.ts';
import { listInboundByOutcome } from './store/inbound.ts';
import { splitMbox } from './channels/email/mbox.ts';
import { seedDemo } from './demo/seed.ts';
import { createApiToken } from './actions/api-tokens.ts';
import { currentSignInLocks, liftLock } from './actions/sign-in.ts';
import { findUserByEmail } from './store/users.ts';
import { forgetSlaMeasures, measureSlaClocks } from './store/sla-measures.ts';
import { buildStatusCounts, foldStatusCountChanges, forgetStatusCounts } from './store/status-counts.ts';
import { rebuildTicketSums } from './store/ticket-sums.ts';
import { forgetTicketTimes, keptTimesUsable, loadTimesCalendars, measureTicketTimes } from './store/ticket-times.ts';

const EX_USAGE = 64;
const EX_DATAERR = 65;
const EX_TEMPFAIL = 75;

const USAGE = `Usage: helpdesk <command> [options]

Commands:
  migrate                          apply database migrations (also done at every start)
  user add --email E --name N [--role admin|manager|agent] [--password P]
                                   create a console user (password from --password or stdin)
  import <file.eml|file.mbox|->    pipe mail through intake (exit 75 on a temporary failure)
         [--mailbox ID]            as if it arrived in that mailbox
  reprocess <id>|--all             run quarantined mail through intake again
  demo [--tickets N]               seed a demo desk (clients, staff, tickets in en and ru, a tour
                                   of SLA, SMS, reopens, billing) and print its accounts
  token create --user EMAIL [--name N] [--expires-days D] [--read-only]
                                   make an API token for a user; the token is the last line
  unlock [--account EMAIL | --ip ADDRESS]
                                   list the sign-in locks, or lift one (also when no admin can sign in)
  measure-sla [--again]            measure the SLA clocks the SLA report counts in SQL that are not
                                   measured yet (the scheduler does it by itself after an upgrade,
                                   a few seconds a pass); --again measures every clock afresh
  count-statuses [--again]         count the status histories the status report reads that are not
                                   counted yet (the scheduler does it by itself after an upgrade or
                                   a bulk load, a few seconds a pass); --again counts every
                                   ticket's history afresh from its events
  measure-times [--again]          measure the response and resolution times the response-times
                                   report reads that are not measured yet (the scheduler does it by
                                   itself, a few seconds a pass, and after a calendar changed);
                                   --again measures every ticket's times afresh
  sum-tickets                      sum the closed tickets' SLA outcomes, and count the tickets
                                   created and resolved, per day afresh from the tickets (the
                                   database keeps them by itself; for after a bulk load that was
                                   cut short, or a partial restore)
  migrate-to-postgres --to postgres://USER:PASS@HOST/DB [--from file:PATH] [--data-dir DIR]
                                   copy this desk (its SQLite database, DATABASE_URL, and the
                                   attachments and raw mail under DATA_DIR) into an empty
                                   PostgreSQL database. Stop the desk first: what it writes
                                   meanwhile would not be copied (the copy then refuses to finish).
                                   Run it again after an interruption: it goes on where it stopped

Configuration comes from the environment and .env (see .env.example).`;

async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFileSync(file);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : EX_USAGE;
  }
  loadDotEnv();
  const config = configOrExit();
  // not through openDeps: the desk's own database is the source, the target is opened here
  if (command === 'migrate-to-postgres') return await migrateToPostgres(rest, config);
  // the CLI logs warnings only, so its own output stays readable
  const deps = await openDeps({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const services = buildServices(deps);
  try {
    switch (command) {
      case 'migrate':
        console.log(`Database ${databaseLabel(config.database)} is up to date.`);
        return 0;

      case 'user': {
        const { positionals, values } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'agent' }, password: { type: 'string' }, locale: { type: 'string' } },
        });
        if (positionals[0] !== 'add' || !values.email) {
          console.error('Usage: helpdesk user add --email E --name N [--role admin|manager|agent] [--password P]');
          return EX_USAGE;
        }
        if (!(ROLES as readonly string[]).includes(values.role!)) {
          console.error(`--role must be one of ${ROLES.join(', ')}`);
          return EX_USAGE;
        }
        const password = values.password ?? (process.stdin.isTTY ? '' : (await readInput('-')).toString('utf8').trim());
        const user = await createUserBySystem(services.ctx, {
          email: values.email, name: values.name ?? values.email.split('@')[0], role: values.role as Role, password,
          locale: values.locale === 'ru' ? 'ru' : values.locale === 'en' ? 'en' : undefined,
        });
        console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
        return 0;
      }

      case 'import': {
        const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { mailbox: { type: 'string' } } });
        const file = positionals[0];
        if (!file) {
          console.error('Usage: helpdesk import <file.eml|file.mbox|-> [--mailbox ID]');
          return EX_USAGE;
        }
        const raw = await readInput(file);
        const mails = splitMbox(raw);
        const mailboxId = values.mailbox ? Number(values.mailbox) : null;
        let worst = 0;
        for (const mail of mails) {
          const r = await services.intake.receive({ channel: 'email', source: 'pipe', mailboxId, raw: mail });
          const where = r.ticketId ? ` ticket id ${r.ticketId}` : '';
          if (r.outcome === 'quarantined') {
            console.error(`quarantined (inbound #${r.inboundId}): ${r.error}. The raw mail is kept; fix the cause and run "helpdesk reprocess ${r.inboundId}".`);
            worst = Math.max(worst, 0);
          } else {
            console.log(`${r.outcome}${where}${r.reason ? ` (${r.reason})` : ''}`);
          }
        }
        return worst;
      }

      case 'reprocess': {
        const { positionals, values } = parseArgs({ args: rest, allowPositionals: true, options: { all: { type: 'boolean' } } });
        const ids = values.all
          ? (await listInboundByOutcome(deps.db, ['quarantined'], { limit: 100_000 })).map((r) => r.id)
          : positionals.map(Number).filter((n) => Number.isInteger(n) && n > 0);
        if (ids.length === 0) {
          console.error(values.all ? 'Nothing is quarantined.' : 'Usage: helpdesk reprocess <id>… | --all');
          return values.all ? 0 : EX_USAGE;
        }
        let failed = 0;
        for (const id of ids) {
          const r = await services.intake.reprocess(id);
          if (r.outcome === 'quarantined') failed++;
          console.log(`#${id}: ${r.outcome}${r.ticketId ? ` ticket id ${r.ticketId}` : ''}${r.error ? ` — ${r.error}` : ''}`);
        }
        return failed ? EX_DATAERR : 0;
      }

      case 'token': {
        const { positionals, values } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { user: { type: 'string' }, name: { type: 'string' }, 'expires-days': { type: 'string' }, 'read-only': { type: 'boolean' } },
        });
        if (positionals[0] !== 'create' || !values.user) {
          console.error('Usage: helpdesk token create --user EMAIL [--name N] [--expires-days D] [--read-only]');
          return EX_USAGE;
        }
        const user = await findUserByEmail(deps.db, values.user);
        if (!user || !user.active) {
          console.error(`No active user ${values.user}. Add one with: helpdesk user add --email ${values.user} --name N`);
          return EX_DATAERR;
        }
        const { token, record } = await createApiToken(deps, user, { name: values.name ?? 'CLI token', expiresInDays: values['expires-days'] ?? null, scope: values['read-only'] ? 'read' : 'full' }, { by: null });
        console.log(`Created API token "${record.name}" (${record.prefix}…) for ${user.email} (${user.role}). Keep it secret; it is shown only now:`);
        console.log(token);
        return 0;
      }

      case 'unlock': {
        const { values } = parseArgs({ args: rest, options: { account: { type: 'string' }, ip: { type: 'string' } } });
        if (values.account === undefined && values.ip === undefined) {
          const locks = await currentSignInLocks(services.ctx);
          if (locks.length === 0) console.log('No account or address is locked.');
          for (const l of locks) {
            const what = l.scope === 'account' ? `account ${l.key}: ${l.failures} failures from ${l.others} addresses` : `address ${l.key}: ${l.failures} failures on ${l.others} accounts`;
            console.log(`${what}, lifts by itself at ${new Date(l.until).toISOString()} (helpdesk unlock --${l.scope} ${l.key})`);
          }
          return 0;
        }
        if (values.account !== undefined && values.ip !== undefined) {
          console.error('Usage: helpdesk unlock [--account EMAIL | --ip ADDRESS]');
          return EX_USAGE;
        }
        const input = values.account !== undefined ? { scope: 'account', key: values.account } : { scope: 'ip', key: values.ip ?? '' };
        const lifted = await liftLock(services.ctx, input, 'command line');
        console.log(lifted ? `Lifted: ${lifted} failures of ${input.key} no longer count.` : `${input.key} was not locked (no failures counted).`);
        return 0;
      }

      case 'measure-sla': {
        const { values } = parseArgs({ args: rest, options: { again: { type: 'boolean', default: false } } });
        if (values.again) console.log(`Forgot the measures of ${await forgetSlaMeasures(deps.db)} SLA clocks.`);
        let total = 0;
        for (;;) {
          const n = await measureSlaClocks(deps.db, { deadline: performance.now() + 2000 });
          if (n === 0) break;
          total += n;
          console.log(`Measured ${total} SLA clocks…`);
        }
        console.log(`Done: ${total} SLA clocks measured; none is left to measure.`);
        return 0;
      }

      case 'count-statuses': {
        const { values } = parseArgs({ args: rest, options: { again: { type: 'boolean', default: false } } });
        if (values.again) console.log(`Forgot the status counts of ${await forgetStatusCounts(deps.db)} tickets.`);
        let total = 0;
        for (;;) {
          const n = await buildStatusCounts(deps.db, { deadline: performance.now() + 2000 });
          if (n === 0) break;
          total += n;
          console.log(`Counted the status histories of ${total} tickets…`);
        }
        await foldStatusCountChanges(deps.db);
        console.log(`Done: ${total} status histories counted; none is left to count.`);
        return 0;
      }

      case 'measure-times': {
        const { values } = parseArgs({ args: rest, options: { again: { type: 'boolean', default: false } } });
        const now = services.ctx.clock.now();
        if (values.again) console.log(`Forgot the times of ${await forgetTicketTimes(deps.db, now)} tickets.`);
        let total = 0;
        for (;;) {
          const n = await measureTicketTimes(deps.db, services.ctx.calendars, now, { deadline: performance.now() + 2000 });
          if (n === 0 && (await keptTimesUsable(deps.db, await loadTimesCalendars(deps.db, services.ctx.calendars)))) break;
          total += n;
          console.log(`Measured the times of ${total} tickets…`);
        }
        console.log(`Done: ${total} tickets' response and resolution times measured; none is left to measure.`);
        return 0;
      }

      case 'sum-tickets': {
        const { closed, counted, minutes } = await rebuildTicketSums(deps.db);
        console.log(`Done: the SLA outcomes of ${closed} closed tickets summed, ${counted} tickets counted per day of creation and of resolution, and ${minutes} minutes of logged time summed per day, afresh.`);
        return 0;
      }

      case 'demo': {
        const { values } = parseArgs({ args: rest, options: { tickets: { type: 'string' } } });
        const summary = await seedDemo(deps, { tickets: values.tickets ? Number(values.tickets) : undefined, log: (s) => console.log(s) });
        console.log(summary);
        return 0;
      }

      default:
        console.error(`Unknown command "${command}".\n\n${USAGE}`);
        return EX_USAGE;
    }
  } catch (err) {
    if (err instanceof TemporaryIntakeError) {
      console.error(`temporary failure, try again later: ${err.message}`);
      return EX_TEMPFAIL;
    }
    if (err instanceof AppError) {
      console.error(err.message);
      return err.code === 'temporary' ? EX_TEMPFAIL : EX_DATAERR;
    }
    throw err;
  } finally {
    await closeDb(deps.db);
  }
}

const MIGRATE_USAGE = 'Usage: helpdesk migrate-to-postgres --to postgres://USER:PASS@HOST:PORT/DB [--from file:PATH] [--data-dir DIR]';

/**
 * `helpdesk migrate-to-postgres`: a SQLite desk copied into PostgreSQL — first its files (the
 * attachments and raw mail under DATA_DIR, into the database's file store, in committed batches:
 * src/store/copy-files-to-postgres.ts), then its tables (one transaction: src/db/copy-to-postgres.ts),
 * then both checked. Run again after an interruption, it passes over the files already copied and
 * copies the tables again (or finds them copied).
 */
async function migrateToPostgres(args: string[], config: Config): Promise<number> {
  let values: { to?: string; from?: string; 'data-dir'?: string };
  try {
    ({ values } = parseArgs({ args, options: { to: { type: 'string' }, from: { type: 'string' }, 'data-dir': { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${MIGRATE_USAGE}`);
    return EX_USAGE;
  }
  const isPostgres = (url: string) => /^postgres(ql)?:\/\//.test(url);
  if (!values.to || !isPostgres(values.to)) {
    console.error(`${MIGRATE_USAGE}\n--to names the PostgreSQL database to copy into: an empty one (createdb).`);
    return EX_USAGE;
  }
  const from = values.from ?? (config.database.engine === 'sqlite' ? `file:${config.database.file}` : config.database.url);
  if (isPostgres(from)) {
    console.error(values.from
      ? `--from names a PostgreSQL database: migrate-to-postgres copies from a SQLite database (--from file:PATH).`
      : `This desk runs on ${databaseLabel(config.database)} already: migrate-to-postgres copies from the SQLite database DATABASE_URL names (file:…), or the one --from names.`);
    return EX_USAGE;
  }
  const file = from.startsWith('file:') ? from.slice('file:'.length) : from;
  if (file === ':memory:' || !existsSync(file)) {
    console.error(`There is no SQLite database at ${file}: set DATABASE_URL (or --from file:PATH) to the desk's database file.`);
    return EX_USAGE;
  }
  const dataDir = values['data-dir'] ?? config.dataDir;
  if (!existsSync(dataDir)) {
    console.error(`There is no folder ${dataDir}: set DATA_DIR (or --data-dir) to the desk's data folder, where its attachments and raw mail are.`);
    return EX_USAGE;
  }
  const targetLabel = databaseLabel({ engine: 'postgres', url: values.to, poolSize: 2 });
  const progress = createProgress(process.stderr);
  const source = await openDatabase({ engine: 'sqlite', file }); // with the migrations of this version, whose tables the copy reads
  const target = openPostgres(values.to, { max: 2 });
  let phase: 'files' | 'tables' = 'files';
  try {
    console.log(`Applying the PostgreSQL migrations to ${targetLabel}…`);
    try {
      await migratePostgres(target);
    } catch (err) {
      console.error(`Could not apply the PostgreSQL migrations to ${targetLabel}: ${describeError(err)}`);
      console.error('Nothing was copied. Check the address, the password and that the user owns the database (createdb --owner), then run the command again.');
      return 1;
    }
    // a desk that writes from now on is found out before the tables' copy is kept
    const version = source.sqlite.pragma('data_version', { simple: true });
    const rows = await targetRows({ source, target });

    console.log(`Copying the files under ${dataDir} into ${targetLabel}…`);
    const tally = tallyStoredFiles(dataDir);
    progress.start('files', tally.files, 'files', tally.bytes);
    const files = await copyFilesToPostgres({ dataDir, target, onProgress: (d) => progress.update(d.files, d.bytes) });
    progress.finish();
    if (files.bad.length) {
      console.error(`${files.bad.length} ${files.bad.length === 1 ? 'file' : 'files'} under ${dataDir} could not be copied:`);
      for (const b of files.bad.slice(0, 20)) console.error(`  ${b.path}: ${b.problem}`);
      if (files.bad.length > 20) console.error(`  and ${files.bad.length - 20} more`);
      console.error(
        'A file is kept under the SHA-256 of its bytes, so these are damaged (or were changed by hand). Put the right file back from a backup, ' +
          'or move it out of DATA_DIR (the desk then shows that attachment or raw mail as missing), and run the command again: the files copied are kept and not copied again.',
      );
      return EX_DATAERR;
    }

    phase = 'tables';
    let result: CopyResult | undefined;
    if (rows === 'copied') {
      console.log(`The tables are in ${targetLabel} already (an earlier run copied them: every table has as many rows as in SQLite); they are not copied again.`);
    } else {
      console.log(`Copying the tables of ${file} into ${targetLabel}…`);
      let started = false;
      result = await copyToPostgres({
        source, target, sourceVersion: version,
        onRows: (done, total) => {
          if (!started) progress.start('rows', total, 'rows');
          started = true;
          progress.update(done);
        },
        progress: (line) => {
          progress.finish();
          progress.note(line);
        },
      });
      progress.finish();
      console.log(formatCopyResult(result));
    }

    const check = await checkFilesInPostgres({ dataDir, target });
    console.log(formatFilesCheck(check, files));
    if (check.wrongCount) {
      console.error(`${check.wrongCount} of the files under ${dataDir} are not whole in ${targetLabel}:`);
      for (const w of check.wrong) console.error(`  ${w}`);
      console.error('Run the command again: it copies what is missing.');
      return 1;
    }
    const missing = await countMissingFiles(target);
    if (missing.files || missing.raw) {
      console.log(
        `  note: ${missing.files} attachments and ${missing.raw} raw mails the tables refer to were not under ${dataDir} (missing on SQLite already); ` +
          'the desk shows them as missing, as it did. If you have them elsewhere, put them under DATA_DIR and run the command again.',
      );
    }
    console.log(
      `Done: every table has as many rows as in SQLite, and every file under ${dataDir} is in the database. Start the desk with DATABASE_URL=${targetLabel} (and its password) ` +
        'and the same SESSION_SECRET, or the same DATA_DIR for its secret.key. The raw/ and files/ folders under DATA_DIR are not needed any more: keep them as a backup until you are satisfied.',
    );
    return 0;
  } catch (err) {
    progress.finish();
    if (err instanceof CopyRefused) {
      console.error(err.message);
      return EX_DATAERR;
    }
    console.error(`The copy failed: ${describeError(err)}`);
    console.error(
      phase === 'files'
        ? `The files copied so far are kept in ${targetLabel} (they go in committed batches). Correct the cause and run the command again: it goes on with the files not copied yet.`
        : `The tables were not kept: they are copied in one transaction, which PostgreSQL rolled back, so ${targetLabel} has the desk's files and its tables without rows. Correct the cause and run the command again.`,
    );
    return 1;
  } finally {
    await target.close();
    await closeDb(source);
  }
}

/** An error with what PostgreSQL adds to it (the row a constraint refused). */
function describeError(err: unknown): string {
  const e = err as Error & { detail?: string; table?: string };
  return [e.message ?? String(err), e.table && `(table ${e.table})`, e.detail].filter(Boolean).join(' ');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(EX_TEMPFAIL);
  },
);
