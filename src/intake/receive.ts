// The intake service every channel calls: archive the raw input, parse it, run the steps, apply.
// Anything wrong with the message itself quarantines it (raw kept, reprocessable); a temporary
// failure (database busy, disk full) throws TemporaryIntakeError so the caller retries later.
import type { Deps } from '../deps.ts';
import { getInbound, insertInbound, updateInbound, findInboundByDedupeKey } from '../store/inbound.ts';
import { inTransaction } from '../db/client.ts';
import { isConnectionLost } from '../db/connection-lost.ts';
import { emptyHooks, type Ctx } from '../actions/context.ts';
import { createCompiledCalendars } from '../domain/compiled-calendars.ts';
import { createMailHtmlCache } from '../domain/safe-mail-html.ts';
import { createLocaleStrings } from '../i18n/locale-strings.ts';
import { applyDraft, type ApplyResult } from './apply.ts';
import { runPipeline } from './pipeline.ts';
import type { InboundMessage, InboundSource, Step } from './types.ts';
import type { Channel } from '../db/schema.ts';

export type RawInbound = {
  channel: Channel;
  source: InboundSource;
  mailboxId: number | null;
  raw: Buffer;
  receivedAt?: number;
  /** envelope recipients, when the transport knows them (SMTP RCPT TO) */
  envelopeTo?: string[];
  /** the server that handed the message over, when the transport spoke to it (SMTP) */
  sender?: SendingServer;
};

export type SendingServer = { ip: string; helo: string | null; mailFrom: string | null };

export type Parser = (input: RawInbound & { receivedAt: number; rawSha256: string }, deps: Deps) => Promise<InboundMessage>;

export type ReceiveResult = ApplyResult & { error?: string };

export class TemporaryIntakeError extends Error {
  constructor(override readonly cause: unknown) {
    super(`temporary intake failure: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TemporaryIntakeError';
  }
}

export type Intake = {
  receive(input: RawInbound): Promise<ReceiveResult>;
  reprocess(inboundId: number): Promise<ReceiveResult>;
};

// Besides a lost connection (isConnectionLost): SQLite busy, locked, failing or full, and a local
// disk or descriptor shortage; an extended code (SQLITE_BUSY_SNAPSHOT) counts as its base code
const TEMPORARY_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'ENOSPC', 'EIO', 'EMFILE', 'ENFILE', 'EROFS'];
// PostgreSQL SQLSTATEs that say "not now" rather than "never", besides a lost connection: a
// transaction that lost a conflict (40), no resources (53: disk full, out of memory, too many
// connections), a lock not granted in time (55P03), a cancelled statement (57014), the server
// shutting down, starting or ending the session (57P), an I/O error (58)
const TEMPORARY_SQLSTATE = /^(40|53|57P|58)|^55P03$|^57014$/;

/** Whether err (or what it wraps: drizzle names the failed query around the driver's error) is a failure that may pass: retry later, do not quarantine. */
export function isTemporary(err: unknown): boolean {
  if (isConnectionLost(err)) return true;
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (TEMPORARY_CODES.some((c) => code === c || code.startsWith(`${c}_`))) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TEMPORARY_SQLSTATE.test(code)) return true;
  }
  return false;
}

/**
 * `desk`: the hooks the changes of an applied mail run (and the rest of the action context), as
 * for a change made in the console; without it, none.
 */
export function createIntake(
  deps: Deps,
  opts: { parsers: Partial<Record<Channel, Parser>>; steps?: readonly Step[]; desk?: Pick<Ctx, 'hooks' | 'mailHtml' | 'locales' | 'calendars'> },
): Intake {
  const desk = opts.desk ?? { hooks: emptyHooks(), mailHtml: createMailHtmlCache(), locales: createLocaleStrings(), calendars: createCompiledCalendars() };
  async function process(input: RawInbound, reprocessOf: number | null): Promise<ReceiveResult> {
    const receivedAt = input.receivedAt ?? deps.clock.now();
    let rawSha256: string;
    try {
      rawSha256 = await deps.files.put('raw', input.raw); // the evidence is kept before anything else can fail
    } catch (err) {
      throw new TemporaryIntakeError(err);
    }
    let msg: InboundMessage | undefined;
    try {
      const parse = opts.parsers[input.channel];
      if (!parse) throw new Error(`no parser for channel ${input.channel}`);
      msg = await parse({ ...input, receivedAt, rawSha256 }, deps);
      const draft = await runPipeline(msg, deps, { steps: opts.steps, reprocessOf });
      return await applyDraft({ ...deps, ...desk }, draft);
    } catch (err) {
      if (isTemporary(err)) throw new TemporaryIntakeError(err);
      deps.log.warn({ err, source: input.source, rawSha256 }, 'inbound message quarantined');
      try {
        return await quarantine(deps, input, { receivedAt, rawSha256, msg, err, reprocessOf });
      } catch (qErr) {
        throw new TemporaryIntakeError(qErr);
      }
    }
  }

  return {
    receive: (input) => process(input, null),
    async reprocess(inboundId) {
      const rec = await getInbound(deps.db, inboundId);
      if (rec.remoteRef) {
        // only its headers are here: parsing them would make a ticket of an empty mail
        return { outcome: 'quarantined', inboundId, ticketId: null, messageId: null, reason: null, error: rec.error ?? 'the message was not read' };
      }
      const raw = await deps.files.read('raw', rec.rawSha256);
      await updateInbound(deps.db, inboundId, { attempts: rec.attempts + 1 });
      return process(
        { channel: rec.channel, source: rec.source, mailboxId: rec.mailboxId, raw, receivedAt: rec.receivedAt },
        inboundId,
      );
    },
  };
}

async function quarantine(
  deps: Deps,
  input: RawInbound,
  q: { receivedAt: number; rawSha256: string; msg: InboundMessage | undefined; err: unknown; reprocessOf: number | null },
): Promise<ReceiveResult> {
  const error = q.err instanceof Error ? q.err.message : String(q.err);
  const now = deps.clock.now();
  // without a parsed Message-ID the raw bytes identify the message, so the same broken mail
  // delivered twice is quarantined once
  const dedupeKey = `${input.channel}:${input.mailboxId ?? 0}:raw-${q.rawSha256}`;
  return await inTransaction(deps.db, async () => {
    if (q.reprocessOf) {
      await updateInbound(deps.db, q.reprocessOf, { outcome: 'quarantined', error, processedAt: now });
      return { outcome: 'quarantined', inboundId: q.reprocessOf, ticketId: null, messageId: null, reason: null, error };
    }
    const existing = await findInboundByDedupeKey(deps.db, dedupeKey);
    if (existing) {
      return { outcome: 'duplicate', inboundId: existing.id, ticketId: existing.ticketId, messageId: null, reason: 'already quarantined', error };
    }
    const rec = await insertInbound(deps.db, {
      channel: input.channel,
      source: input.source,
      mailboxId: input.mailboxId,
      dedupeKey,
      externalId: q.msg?.externalId ?? null,
      rawSha256: q.rawSha256,
      rawSize: input.raw.length,
      fromAddress: q.msg?.from?.address ?? null,
      subject: q.msg?.subject.slice(0, 500) ?? null,
      outcome: 'quarantined',
      reason: null,
      error,
      receivedAt: q.receivedAt,
      processedAt: now,
    });
    return { outcome: 'quarantined', inboundId: rec.id, ticketId: null, messageId: null, reason: null, error };
  });
}
