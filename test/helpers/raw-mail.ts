// Builds raw RFC 5322 mail for intake tests, the way a mail client would write it.
export type RawMailInput = {
  from: string;
  to?: string;
  cc?: string;
  subject: string;
  body: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  date?: Date;
  headers?: Record<string, string>;
};

let counter = 0;

export function rawMail(m: RawMailInput): Buffer {
  const id = m.messageId ?? `m${Date.now()}.${++counter}@client.example`;
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to ?? 'Support <support@desk.example>'}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    `Subject: ${encodeSubject(m.subject)}`,
    `Date: ${(m.date ?? new Date(Date.UTC(2026, 10, 2, 9, 0))).toUTCString()}`,
    `Message-ID: <${id}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`] : []),
    ...(m.references?.length ? [`References: ${m.references.map((r) => `<${r}>`).join(' ')}`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${m.body.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
}

function encodeSubject(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}
