// Mail for the intake fault tests, and the exactly-once check after the faults. Each mail is a
// realistic one from the benchmark corpus (plain, HTML, attachments, Russian charsets, replies,
// auto-replies, bounces) with a sequence header of its own; about one in five has its Message-ID
// removed, so the desk must recognise it by its bytes. The check reads the desk's database and
// raw archive from outside: one inbound record per mail, one message per mail that carries
// content, and the same outcome as a clean import of the same mail in the same order.
import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildCorpus } from '../../bench/corpus.ts';
import { buildServices } from '../../src/services.ts';
import { makeTestDeps } from './deps.ts';
import { readDb, seededRandom, type PostgresReader } from './desk-process.ts';

export type FaultMail = { seq: string; kind: string; raw: Buffer; messageId: string | null };

export async function buildFaultMails(n: number, seed: number, run: string): Promise<FaultMail[]> {
  const corpus = await buildCorpus(n, seed);
  const r = seededRandom(seed ^ 0x5eed);
  return corpus.map((m, i) => {
    const seq = `${run}-${i}`;
    let text = m.raw.toString('latin1');
    const head = text.slice(0, text.search(/\r?\n\r?\n/));
    const id = /^Message-ID:\s*<([^>\r\n]+)>/im.exec(head)?.[1] ?? null;
    const dropId = id !== null && r() < 0.2;
    // only the top-level header (a bounce quotes the original's Message-ID further down)
    if (dropId) text = text.replace(/^Message-ID:[^\r\n]*\r?\n/im, '');
    return { seq, kind: m.kind, raw: Buffer.from(`X-Fault-Seq: ${seq}\r\n${text}`, 'latin1'), messageId: dropId ? null : id };
  });
}

export type InboundRow = { id: number; external_id: string | null; raw_sha256: string; outcome: string; error: string | null; ticket_id: number | null; messages: number };

export type ExactlyOnceReport = {
  mails: number;
  inbound: number;
  lost: string[];
  duplicated: string[];
  /** inbound records that belong to no mail of the run (should never exist) */
  strangers: number;
  /** mails with a Message-ID stored under another id */
  wrongId: string[];
  /** content mails without exactly one message */
  messageCountWrong: string[];
  /** outcome differs from a clean import (seq: got/expected) */
  outcomeDiffers: string[];
  outcomes: Record<string, number>;
  withoutMessageId: number;
  messages: number;
};

const seqOf = (raw: Buffer) => /^X-Fault-Seq: (\S+)/m.exec(raw.subarray(0, 4096).toString('latin1'))?.[1];

function inboundRows(db: Database.Database): InboundRow[] {
  return db
    .prepare(`select i.id, i.external_id, i.raw_sha256, i.outcome, i.error, i.ticket_id,
                (select count(*) from messages m where m.inbound_message_id = i.id) as messages
              from inbound_messages i order by i.id`)
    .all() as InboundRow[];
}

/** What each mail becomes when imported once, in order, without faults (in-process, in memory). */
export type Expected = Map<string, { outcome: string; messages: number }>;

export async function cleanOutcomes(mails: FaultMail[]): Promise<Expected> {
  const deps = await makeTestDeps();
  try {
    const { intake } = buildServices(deps);
    const out: Expected = new Map();

    for (const m of mails) {
      const r = await intake.receive({ channel: 'email', source: 'imap', mailboxId: null, raw: m.raw });
      out.set(m.seq, { outcome: r.outcome, messages: r.inboundId === null ? 0 : Number(await deps.db.value('select count(*) from messages where inbound_message_id = ?', r.inboundId)) });
    }
    return out;
  } finally {
    deps.close();
  }
}

export function checkExactlyOnce(dataDir: string, dbFile: string, mails: FaultMail[], expected: Expected): ExactlyOnceReport {
  const rows = readDb(dbFile, inboundRows) ?? [];
  // the desk under test runs on SQLite with a fresh DATA_DIR: its raw archive is <kind>/<ab>/<sha256>
  const seqs = rows.map((row) => seqOf(readFileSync(path.join(dataDir, 'raw', row.raw_sha256.slice(0, 2), row.raw_sha256))));
  return compare(rows, seqs, mails, expected);
}

/** The same check on a desk's PostgreSQL database, whose raw mail is kept in the database (the first chunk holds the header). */
export async function checkExactlyOncePostgres(db: PostgresReader, mails: FaultMail[], expected: Expected): Promise<ExactlyOnceReport> {
  const rows = await db.all<InboundRow & { head: Buffer | null }>(
    `select i.id, i.external_id, i.raw_sha256, i.outcome, i.error, i.ticket_id,
       (select count(*) from messages m where m.inbound_message_id = i.id)::int as messages,
       substring(c.data from 1 for 4096) as head
     from inbound_messages i left join stored_file_chunks c on c.kind = 'raw' and c.sha256 = i.raw_sha256 and c.seq = 0
     order by i.id`,
  );
  return compare(rows, rows.map((r) => (r.head ? seqOf(r.head) : undefined)), mails, expected);
}

function compare(rows: InboundRow[], seqs: (string | undefined)[], mails: FaultMail[], expected: Expected): ExactlyOnceReport {
  const bySeq = new Map<string, InboundRow[]>();
  let strangers = 0;
  rows.forEach((row, i) => {
    const seq = seqs[i];
    if (!seq) {
      strangers++;
      return;
    }
    bySeq.set(seq, [...(bySeq.get(seq) ?? []), row]);
  });
  const report: ExactlyOnceReport = {
    mails: mails.length, inbound: rows.length, lost: [], duplicated: [], strangers, wrongId: [], messageCountWrong: [], outcomeDiffers: [],
    outcomes: {}, withoutMessageId: mails.filter((m) => !m.messageId).length, messages: 0,
  };
  for (const m of mails) {
    const found = bySeq.get(m.seq) ?? [];
    if (found.length === 0) report.lost.push(m.seq);
    if (found.length > 1) report.duplicated.push(`${m.seq}: ${found.map((f) => `#${f.id} ${f.outcome}${f.error ? ` (${f.error})` : ''}`).join(', ')}`);
    const row = found[0];
    if (!row) continue;
    report.outcomes[row.outcome] = (report.outcomes[row.outcome] ?? 0) + 1;
    report.messages += row.messages;
    if (m.messageId && row.external_id?.toLowerCase() !== m.messageId.toLowerCase()) report.wrongId.push(`${m.seq}: ${row.external_id}`);
    const want = expected.get(m.seq);
    if (!want) throw new Error(`no clean outcome for ${m.seq}`);
    // a mail that carries content is exactly one message; one only recorded (an unmatched bounce) is none
    if (row.messages !== want.messages || row.messages > 1) report.messageCountWrong.push(`${m.seq}: ${row.messages} messages, clean import: ${want.messages}`);
    if (want.outcome !== row.outcome) report.outcomeDiffers.push(`${m.seq} (${m.kind}): ${row.outcome}, clean import: ${want.outcome}`);
  }
  return report;
}

/** One line for the fault-run summary. */
export function summarize(name: string, r: ExactlyOnceReport, extra: Record<string, unknown> = {}): string {
  const parts = Object.entries(extra).map(([k, v]) => `${k}=${String(v)}`);
  return `[${name}] ${parts.join(' ')} mails=${r.mails} (without Message-ID ${r.withoutMessageId}) inbound=${r.inbound} messages=${r.messages} lost=${r.lost.length} duplicated=${r.duplicated.length} outcomes=${JSON.stringify(r.outcomes)}`;
}
