// The demo's inbound messages as the desk receives them: a mail as an MTA would pipe it, and a
// text message as Twilio's webhook posts it.
export type DemoMail = { from: string; name: string; subject: string; body: string; id: string; inReplyTo?: string; date: number };

export function rawMail(m: DemoMail): Buffer {
  const enc = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=`);
  const headers = [
    `From: ${enc(m.name)} <${m.from}>`,
    'To: support@desk.example',
    `Subject: ${enc(m.subject)}`,
    `Date: ${new Date(m.date).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${m.id}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`, `References: <${m.inReplyTo}>`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${m.body.replace(/\n/g, '\r\n')}\r\n`, 'utf8');
}

/** A Twilio messaging webhook's form fields, as the SMS channel keeps them for intake. */
export function rawSms(m: { sid: string; from: string; to: string; body: string }): Buffer {
  return Buffer.from(JSON.stringify({ MessageSid: m.sid, AccountSid: `AC${'0'.repeat(32)}`, From: m.from, To: m.to, Body: m.body, NumMedia: '0' }));
}
