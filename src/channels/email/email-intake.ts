// What the email channel runs in the intake role: one IMAP poller per enabled mailbox (the IMAP_*
// mailbox is added to the mailboxes table first), in one desk process at a time, and the optional
// SMTP listener. Mailboxes an admin adds, edits, enables or disables in the console are picked up
// at once (a notice from the store), and within seconds without it (a check every few seconds).
import type { Ctx } from '../../actions/context.ts';
import type { HeldLock } from '../../db/client.ts';
import type { Intake } from '../../intake/receive.ts';
import { listMailboxes, MAILBOXES_CHANGED, upsertEnvMailbox } from '../../store/mailboxes.ts';
import type { ChannelIntake, IntakeTiming } from '../channel.ts';
import { startImapPoller, type ImapPoller } from './imap-poller.ts';
import { startSmtpListener, type SmtpListener } from './smtp-listener.ts';

export type EmailIntake = ChannelIntake & {
  smtp: SmtpListener | null;
  pollers(): ImapPoller[];
  /** applies mailbox changes now instead of at the next check */
  reconcile(): Promise<void>;
};

export async function startEmailIntake(ctx: Ctx, intake: Intake, timing: IntakeTiming = {}): Promise<EmailIntake> {
  const { config, db, clock, log } = ctx;
  const { reconcileMs, ...pollerTiming } = timing;
  if (config.imap) {
    const i = config.imap;
    await upsertEnvMailbox(db, { name: i.address, address: i.address, host: i.host, port: i.port, secure: i.secure, allowPlaintext: i.allowPlaintext, username: i.user, password: i.password, folder: i.mailbox }, clock.now(), ctx.secrets.credentials);
  }

  // a mailbox is polled by one desk process at a time: the one holding its lock (on PostgreSQL, where
  // several processes share the database; on SQLite always this one); the others try again at every
  // check, so a mailbox whose process died is taken over within seconds
  type Running = { poller: ImapPoller; version: number; lock: HeldLock };
  const running = new Map<number, Running>();
  const stopOne = async (id: number, r: Running) => {
    await r.poller.stop().catch((err: unknown) => log.warn({ err, mailboxId: id }, 'mailbox poller did not stop cleanly'));
    await r.lock.release();
  };
  let reconciling: Promise<void> = Promise.resolve();
  let stopped = false;
  const reconcile = () => {
    reconciling = reconciling.catch(() => undefined).then(async () => {
      if (stopped) return;
      const wanted = new Map((await listMailboxes(db, { enabledOnly: true })).map((m) => [m.id, m.updatedAt]));
      for (const [id, r] of running) {
        if (wanted.get(id) !== r.version) {
          running.delete(id);
          await stopOne(id, r);
        }
      }
      for (const [id, version] of wanted) {
        if (running.has(id) || stopped) continue;
        const lock = await db.tryLock(`mailbox:${id}`);
        if (!lock) continue; // polled by another desk process
        const r: Running = { poller: startImapPoller({ deps: ctx, intake, mailboxId: id, ...pollerTiming }), version, lock };
        running.set(id, r);
        log.info({ mailboxId: id }, 'mailbox poller started');
        void lock.lost.then(() => {
          if (running.get(id) !== r) return;
          running.delete(id);
          log.warn({ mailboxId: id }, 'lost the database connection that held this mailbox; stopped polling it until it can be taken again');
          return stopOne(id, r);
        });
      }
    });
    return reconciling;
  };
  await reconcile();
  const check = () => void reconcile().catch((err: unknown) => log.error({ err }, 'mailbox check failed'));
  const timer = setInterval(check, reconcileMs ?? 5000);
  timer.unref();
  // settings changed in the console (of any desk process on PostgreSQL) apply at once; the check
  // above still runs, for a mailbox whose process died and for a missed notice
  const unlisten = await db.listen(MAILBOXES_CHANGED, check).catch((err: unknown) => {
    log.warn({ err }, 'cannot listen for mailbox changes; they apply at the next check');
    return async () => undefined;
  });

  const smtp = config.smtpInbound ? await startSmtpListener({ deps: ctx, intake, settings: config.smtpInbound }) : null;

  return {
    smtp,
    pollers: () => [...running.values()].map((r) => r.poller),
    reconcile,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await unlisten();
      await reconciling.catch(() => undefined);
      await Promise.all([...running].map(([id, r]) => stopOne(id, r)));
      running.clear();
      await smtp?.stop();
    },
  };
}
