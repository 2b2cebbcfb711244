// A deterministic corpus of realistic help-desk mail for the intake benchmark: plain and HTML
// mail in English and Russian (UTF-8, windows-1251, koi8-r), attachments, replies that quote
// and thread, auto-replies and bounces. Built with nodemailer's MIME composer where it can be.
// Like mail that reached a real mailbox, each carries the headers its delivery added (Received,
// Authentication-Results, a DKIM signature, Delivered-To) and its client's marks, and most
// clients send text with an HTML alternative (Outlook, Gmail), some text only (Thunderbird,
// phones). Calibrated against the peers' real mail (../shared/fixtures/peers): about as many
// header lines and MIME parts per mail, and bare mailparser parses both at a similar rate.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import iconv from 'iconv-lite';
import { seededRandom as rng } from '../src/demo/random.ts';

export type CorpusMail = { kind: string; raw: Buffer };

const EN_SUBJECTS = ['Printer on the 3rd floor jams', 'VPN does not connect from home', 'Outlook keeps asking for my password', 'Need access to the finance share', 'Laptop battery drains fast', 'New starter on Monday needs an account', 'Wi-Fi drops in the warehouse', 'Cannot print PDF invoices', 'Scanner sends empty pages', 'Calendar invites arrive twice'];
const RU_SUBJECTS = ['Не печатает принтер на 3 этаже', 'Не подключается VPN из дома', 'Outlook постоянно спрашивает пароль', 'Нужен доступ к папке бухгалтерии', 'Быстро садится батарея ноутбука', 'Новый сотрудник с понедельника', 'Пропадает Wi-Fi на складе', '1С выдаёт ошибку при закрытии месяца', 'Сканер присылает пустые страницы', 'Не приходят письма от поставщика'];
const EN_BODY = 'Hello team,\n\nsince this morning the problem is back. I restarted the computer twice and it did not help. Could someone have a look today? I am at my desk until 6 pm.\n\nThanks,\n';
const RU_BODY = 'Добрый день!\n\nС утра снова та же проблема. Перезагружал компьютер дважды — не помогло. Посмотрите, пожалуйста, сегодня, я на месте до 18:00.\n\nС уважением,\n';
const NAMES = [['Anna Petrova', 'anna.petrova'], ['John Smith', 'j.smith'], ['Сергей Ким', 'sergey.kim'], ['Linda Martinez', 'linda.m'], ['Мария Волкова', 'm.volkova'], ['Ken Tanaka', 'k.tanaka'], ['Игорь Северов', 'i.severov'], ['Olga Belova', 'o.belova']];
const DOMAINS = ['romashka.ru', 'acme.example', 'severtrans.ru', 'client.example'];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CLIENTS = [
  { mailer: 'Microsoft Outlook 16.0', html: 'outlook' },
  { mailer: 'Mozilla Thunderbird', html: null },
  { mailer: 'Gmail', html: 'gmail' },
  { mailer: 'Yandex.Mail', html: 'gmail' },
  { mailer: 'Apple Mail (2.3776.700.51)', html: 'gmail' },
  { mailer: 'K-9 Mail for Android', html: null },
] as const;
type Client = (typeof CLIENTS)[number];

/** What delivery adds in front of a message: trace and authentication headers, folded as MTAs fold them. */
function deliveryHeaders(rand: () => number, from: string | null, date: Date): string {
  const b64 = (n: number) => Array.from({ length: n }, () => B64[Math.floor(rand() * 64)]).join('');
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  const domain = from ? from.split('@')[1] : 'mx.partner.example';
  const ip = `${Math.floor(rand() * 200) + 20}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`;
  const relay = `mail-${hex(2)}${Math.floor(rand() * 9)}-f${Math.floor(rand() * 99)}.${domain}`;
  const when = date.toUTCString().replace('GMT', '+0000');
  const lines = [
    `Return-Path: <${from ?? ''}>`,
    'Delivered-To: support@desk.example',
    `Received: from ${relay} (${relay} [${ip}])\r\n\tby mx.desk.example (Postfix) with ESMTPS id 4Z${b64(10).replace(/[+/]/g, 'x')}\r\n\tfor <support@desk.example>; ${when} (UTC)`,
    `Received: by ${relay} with SMTP id ${hex(12)}.${Math.floor(rand() * 9)}\r\n        for <support@desk.example>; ${when}`,
    `Received: from [10.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}] (unknown [${ip}])\r\n\tby ${relay} with ESMTPSA; ${when}`,
  ];
  if (from) {
    lines.push(
      `Authentication-Results: mx.desk.example;\r\n\tdkim=pass (2048-bit key) header.d=${domain} header.i=@${domain} header.b="${b64(8)}";\r\n\tspf=pass (mx.desk.example: domain of ${from} designates ${ip} as permitted sender) smtp.mailfrom=${from};\r\n\tdmarc=pass (p=quarantine dis=none) header.from=${domain}`,
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=mail; t=${Math.floor(date.getTime() / 1000)};\r\n\tbh=${b64(43)}=;\r\n\th=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type;\r\n\tb=${[0, 1, 2, 3, 4].map(() => b64(68)).join('\r\n\t ')}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The HTML a client writes for a text: Outlook's Word markup or Gmail's divs, with a quote when there is one. */
function htmlFor(client: Client, text: string, quote?: { header: string; text: string }): string {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const paras = text.split('\n\n').map((p) => esc(p).replace(/\n/g, '<br>'));
  if (client.html === 'outlook') {
    const body = paras.map((p) => `<p class="MsoNormal">${p}<o:p></o:p></p>`).join('\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n');
    const q = quote
      ? `\n<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> ${esc(quote.header)}</p></div>\n<p class="MsoNormal">${esc(quote.text).replace(/\n/g, '<br>')}</p>`
      : '';
    return `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><style><!--
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif;}
a:link, span.MsoHyperlink {mso-style-priority:99;color:#0563C1;text-decoration:underline;}
.MsoChpDefault {mso-style-type:export-only;font-family:"Calibri",sans-serif;}
@page WordSection1 {size:612.0pt 792.0pt;margin:72.0pt 72.0pt 72.0pt 72.0pt;}
div.WordSection1 {page:WordSection1;}
--></style></head><body lang="EN-US" link="#0563C1" vlink="#954F72"><div class="WordSection1">
${body}${q}
</div></body></html>`;
  }
  const q = quote
    ? `<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">${esc(quote.header)}<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${esc(quote.text).replace(/\n/g, '<br>')}</blockquote></div>`
    : '';
  return `<div dir="ltr">${paras.map((p) => `<div>${p}</div>`).join('<div><br></div>')}${q}</div>`;
}

function compose(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    new MailComposer(mail).compile().build((err, msg) => (err ? reject(err) : resolve(msg)));
  });
}

function rawCharset(h: { from: string; subject: string; date: Date; messageId: string }, body: string, charset: 'windows-1251' | 'koi8-r'): Buffer {
  const enc = (s: string) => `=?${charset}?B?${iconv.encode(s, charset).toString('base64')}?=`;
  const head = [
    `From: ${h.from}`, 'To: support@desk.example', `Subject: ${enc(h.subject)}`, `Date: ${h.date.toUTCString()}`,
    `Message-ID: <${h.messageId}>`, 'MIME-Version: 1.0', `Content-Type: text/plain; charset=${charset}`, 'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), iconv.encode(body.replace(/\n/g, '\r\n'), charset)]);
}

function bounce(h: { date: Date; messageId: string }, original: { to: string; messageId: string; subject: string }, permanent: boolean): Buffer {
  const boundary = `dsn-${h.messageId.split('@')[0]}`;
  const status = permanent ? '5.1.1' : '4.4.1';
  return Buffer.from([
    'From: Mail Delivery System <MAILER-DAEMON@mx.desk.example>', 'To: support@desk.example', 'Subject: Undelivered Mail Returned to Sender',
    `Date: ${h.date.toUTCString()}`, `Message-ID: <${h.messageId}>`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`, '',
    `--${boundary}`, 'Content-Type: text/plain; charset=us-ascii', '',
    `This is the mail system at host mx.desk.example.\n\nI'm sorry to have to inform you that your message could not be delivered to ${original.to}.`.replace(/\n/g, '\r\n'), '',
    `--${boundary}`, 'Content-Type: message/delivery-status', '',
    'Reporting-MTA: dns; mx.desk.example', '', `Final-Recipient: rfc822; ${original.to}`, `Action: ${permanent ? 'failed' : 'delayed'}`, `Status: ${status}`,
    `Diagnostic-Code: smtp; ${permanent ? '550 5.1.1 User unknown' : '451 4.4.1 Connection timed out'}`, '',
    `--${boundary}`, 'Content-Type: text/rfc822-headers', '',
    'From: Help Desk <support@desk.example>', `To: ${original.to}`, `Subject: ${original.subject}`, `Message-ID: <${original.messageId}>`, '',
    `--${boundary}--`, '',
  ].join('\r\n'));
}

/** Builds n mails; the same n always gives the same bytes. */
export async function buildCorpus(n: number, seed = 42): Promise<CorpusMail[]> {
  const rand = rng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const out: CorpusMail[] = [];
  const sent: { messageId: string; subject: string; from: string; name: string; ru: boolean }[] = [];
  const attachment = Buffer.alloc(48 * 1024);
  for (let i = 0; i < attachment.length; i++) attachment[i] = Math.floor(rand() * 256);
  const t0 = Date.UTC(2026, 9, 1, 8, 0, 0);

  for (let i = 0; i < n; i++) {
    const [name, local] = pick(NAMES);
    const ru = /[А-я]/.test(name) || rand() < 0.3;
    const from = `${local}@${pick(DOMAINS)}`;
    const subject = `${pick(ru ? RU_SUBJECTS : EN_SUBJECTS)} (${i})`;
    const body = (ru ? RU_BODY : EN_BODY) + name;
    const date = new Date(t0 + i * 37_000);
    const messageId = `bench-${seed}-${i}@${from.split('@')[1]}`;
    const client = pick(CLIENTS);
    const marks = { 'X-Mailer': client.mailer, 'Content-Language': ru ? 'ru-RU' : 'en-US' };
    const r = rand();
    let kind: string;
    let raw: Buffer;
    if (r < 0.3) {
      kind = 'plain';
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject, text: body, html: client.html ? htmlFor(client, body) : undefined,
        date, messageId: `<${messageId}>`, headers: marks,
      });
    } else if (r < 0.4) {
      kind = 'cyrillic-8bit';
      raw = rawCharset({ from, subject: pick(RU_SUBJECTS) + ` (${i})`, date, messageId }, RU_BODY + name, rand() < 0.5 ? 'windows-1251' : 'koi8-r');
    } else if (r < 0.55) {
      kind = 'html';
      const html = htmlFor(client.html ? client : CLIENTS[2], body).replace(/<\/div>$/, '<img src="cid:logo@corp"></div>').replace('</div></body>', '<img src="cid:logo@corp"></div></body>');
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject, text: body, html, date, messageId: `<${messageId}>`, headers: marks,
        attachments: [{ filename: 'logo.png', content: attachment.subarray(0, 2048), cid: 'logo@corp', contentType: 'image/png' }],
      });
    } else if (r < 0.65) {
      kind = 'attachment';
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject, text: body, html: client.html ? htmlFor(client, body) : undefined,
        date, messageId: `<${messageId}>`, headers: marks,
        attachments: [{ filename: ru ? 'скриншот ошибки.pdf' : 'error screenshot.pdf', content: attachment, contentType: 'application/pdf' }],
      });
    } else if (r < 0.85 && sent.length > 0) {
      kind = 'reply';
      const orig = sent[Math.floor(rand() * sent.length)];
      const quoted = (orig.ru ? RU_BODY : EN_BODY).split('\n').map((l) => `> ${l}`).join('\n');
      const header = orig.ru ? `${date.toUTCString()}, ${orig.name} <${orig.from}> написал(а):` : `On ${date.toUTCString()}, ${orig.name} <${orig.from}> wrote:`;
      const answer = orig.ru ? 'Всё ещё не работает, посмотрите ещё раз.' : 'Still broken, please have another look.';
      raw = await compose({
        from: { name: orig.name, address: orig.from }, to: 'support@desk.example', subject: `Re: ${orig.subject}`,
        text: `${answer}\n\n${header}\n${quoted}`,
        html: client.html ? htmlFor(client, answer, { header, text: orig.ru ? RU_BODY : EN_BODY }) : undefined,
        date, messageId: `<${messageId}>`, inReplyTo: `<${orig.messageId}>`, references: [`<${orig.messageId}>`], headers: marks,
      });
    } else if (r < 0.93) {
      kind = 'auto-reply';
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject: ru ? `Автоответ: ${subject}` : `Out of Office: ${subject}`,
        text: ru ? 'Я в отпуске до понедельника. По срочным вопросам звоните дежурному.' : 'I am out of the office until Monday with limited access to email.',
        date, messageId: `<${messageId}>`, headers: { ...marks, 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' },
      });
    } else {
      kind = 'bounce';
      const orig = sent.length ? sent[Math.floor(rand() * sent.length)] : { messageId: `ack-${i}@desk.example`, subject: 'Your request', from };
      raw = bounce({ date, messageId }, { to: orig.from, messageId: orig.messageId, subject: orig.subject }, rand() < 0.7);
    }
    if (kind === 'plain' || kind === 'html' || kind === 'attachment') sent.push({ messageId, subject, from, name, ru });
    out.push({ kind, raw: Buffer.concat([Buffer.from(deliveryHeaders(rand, kind === 'bounce' ? null : from, date), 'latin1'), raw]) });
  }
  return out;
}
