// The scheduler role: every half minute, announce SLA warnings and breaches that fell due, close
// resolved tickets whose auto-close period passed, queue the managers' weekly digest on Monday
// morning, measure SLA clocks kept before their measures were (for the SLA report) and count the
// status histories of tickets kept before their counts were (for the status report) and the response
// and resolution times not measured yet (for the response-times report), a few seconds a pass each, fold the status changes PostgreSQL's triggers logged into the counts, and delete sessions, sign-in failures and
// rate-limit windows that are over. In one process at a time (the one holding the scheduler's lock; the others take over
// within a pass when it dies); each announcement is also recorded in the transaction that queues
// its mail, so a pass that ran twice announces nothing twice.
import type { Ctx } from '../actions/context.ts';
import { autoCloseResolved, runSlaChecks } from '../actions/sla-checks.ts';
import { purgeSignInRecords } from '../actions/sign-in.ts';
import { purgeRateLimits } from '../store/rate-limits.ts';
import { purgePortalSignIns } from '../store/portal-sign-ins.ts';
import { measureSlaClocks } from '../store/sla-measures.ts';
import { buildStatusCounts, foldStatusCountChanges } from '../store/status-counts.ts';
import { foldTicketSumChanges } from '../store/ticket-sums.ts';
import { measureTicketTimes } from '../store/ticket-times.ts';
import { queueWeeklyDigests } from '../reports/weekly-digest.ts';
import type { HeldLock } from '../db/client.ts';
import type { Services } from '../services.ts';
import type { RunningRole } from './role.ts';

export const SCHEDULER_INTERVAL_MS = 30_000;

/** How long a pass may spend measuring SLA clocks, and counting status histories, kept before those were (after an upgrade). */
const MEASURING_MS = 5_000;

export type TickResult = { notices: number; closed: number; digests: number; measured: number; statusesCounted: number; timesMeasured: number; purged: { sessions: number; failures: number; knownClients: number; rateLimits: number; portalSignIns: number } };

/** One pass of the scheduler's work at the clock's current time. */
export async function schedulerTick(ctx: Ctx): Promise<TickResult> {
  const now = ctx.clock.now();
  const notices = await runSlaChecks(ctx, now);
  const closed = await autoCloseResolved(ctx, now);
  const digests = await queueWeeklyDigests(ctx, now);
  const measured = await measureSlaClocks(ctx.db, { deadline: performance.now() + MEASURING_MS });
  await foldStatusCountChanges(ctx.db);
  await foldTicketSumChanges(ctx.db);
  const statusesCounted = await buildStatusCounts(ctx.db, { deadline: performance.now() + MEASURING_MS });
  const timesMeasured = await measureTicketTimes(ctx.db, ctx.calendars, now, { deadline: performance.now() + MEASURING_MS });
  const purged = { ...(await purgeSignInRecords(ctx, now)), rateLimits: await purgeRateLimits(ctx.db, now), portalSignIns: await purgePortalSignIns(ctx.db, now) };
  if (notices || closed || digests || measured || statusesCounted || timesMeasured || purged.sessions) ctx.log.info({ notices, closed, digests, measured, statusesCounted, timesMeasured, purgedSessions: purged.sessions }, 'scheduler run');
  return { notices, closed, digests, measured, statusesCounted, timesMeasured, purged };
}

export async function startScheduler(services: Services, opts: { intervalMs?: number } = {}): Promise<RunningRole> {
  const { ctx } = services;
  let running: Promise<void> | null = null;
  // one scheduler at a time among the desk processes sharing the database: the one holding the lock
  let lock: HeldLock | null = null;
  let stopped = false;
  const run = () => {
    if (running) return; // the previous pass is still going
    running = Promise.resolve()
      .then(async () => {
        if (!lock) {
          const got = await ctx.db.tryLock('scheduler');
          if (!got) return; // another process schedules
          if (stopped) return void (await got.release());
          lock = got;
          ctx.log.info('this process runs the scheduler');
          void got.lost.then(() => {
            if (lock !== got) return;
            lock = null;
            ctx.log.warn('lost the database connection that held the scheduler; it runs wherever the lock is taken next');
          });
        }
        await schedulerTick(ctx);
      })
      .catch((err: unknown) => ctx.log.error({ err }, 'scheduler run failed'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, opts.intervalMs ?? SCHEDULER_INTERVAL_MS);
  ctx.log.info({ everyMs: opts.intervalMs ?? SCHEDULER_INTERVAL_MS }, 'scheduler started');
  return {
    name: 'scheduler',
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      const held = lock;
      lock = null;
      await held?.release();
    },
  };
}
