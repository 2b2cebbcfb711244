// Builds raw RFC 5322 mail for tests (CRLF line ends, like a mail server stores it).
export type MailSpec = {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  date?: string;
  headers?: Record<string, string>;
};

/** The outbound-mail tests' shape: from, subject and body required, the date as a Date. */
export type RawMailInput = Omit<MailSpec, 'from' | 'subject' | 'body' | 'date' | 'messageId'> & {
  from: string;
  subject: string;
  body: string;
  messageId?: string;
  date?: Date;
};

let seq = 0;

export function makeMail(spec: MailSpec = {}): string {
  const id = spec.messageId === null ? null : (spec.messageId ?? `m${Date.now()}.${++seq}.${Math.random().toString(36).slice(2)}@client.example`);
  const lines = [
    `From: ${spec.from ?? 'Anna Petrova <anna@client.example>'}`,
    `To: ${spec.to ?? 'support@desk.example'}`,
    ...(spec.cc ? [`Cc: ${spec.cc}`] : []),
    `Subject: ${spec.subject ?? 'Printer is jammed'}`,
    `Date: ${spec.date ?? 'Mon, 02 Nov 2026 09:00:00 +0300'}`,
    ...(id ? [`Message-ID: <${id}>`] : []),
    ...(spec.inReplyTo ? [`In-Reply-To: <${spec.inReplyTo}>`] : []),
    ...(spec.references ? [`References: ${spec.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    spec.body ?? 'Hello,\n\nthe printer on the 3rd floor jams on every page.\n\nAnna',
  ];
  return `${lines.join('\r\n').replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** A mail as a client writes it: a non-ASCII subject encoded as an RFC 2047 word, as a Buffer. */
export function rawMail(m: RawMailInput): Buffer {
  return Buffer.from(
    makeMail({
      ...m,
      to: m.to ?? 'Support <support@desk.example>',
      subject: encodeSubject(m.subject),
      date: (m.date ?? new Date(Date.UTC(2026, 10, 2, 9, 0))).toUTCString(),
    }),
    'utf8',
  );
}

function encodeSubject(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/** Thrown by a check to end the wait at once (a process it waits on has died): nothing to wait for. */
export class StopWaiting extends Error {}

type Truthy<T> = Exclude<T, false | '' | 0 | null | undefined>;

/**
 * Polls until check() returns a truthy value (generous timeouts: the test machine is busy). An
 * error from the check counts as "not yet" (a database another process is still creating), except
 * StopWaiting, which ends the wait.
 */
export async function waitUntil<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 25): Promise<Truthy<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Truthy<T>;
    } catch (err) {
      if (err instanceof StopWaiting) throw err;
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
