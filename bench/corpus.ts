// A deterministic corpus of realistic help-desk mail for the intake benchmark: plain and HTML
// mail in English and Russian (UTF-8, windows-1251, koi8-r), attachments, replies that quote
// and thread, auto-replies and bounces. Built with nodemailer's MIME composer where it can be.
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import iconv from 'iconv-lite';

export type CorpusMail = { kind: string; raw: Buffer };

const EN_SUBJECTS = ['Printer on the 3rd floor jams', 'VPN does not connect from home', 'Outlook keeps asking for my password', 'Need access to the finance share', 'Laptop battery drains fast', 'New starter on Monday needs an account', 'Wi-Fi drops in the warehouse', 'Cannot print PDF invoices', 'Scanner sends empty pages', 'Calendar invites arrive twice'];
const RU_SUBJECTS = ['Не печатает принтер на 3 этаже', 'Не подключается VPN из дома', 'Outlook постоянно спрашивает пароль', 'Нужен доступ к папке бухгалтерии', 'Быстро садится батарея ноутбука', 'Новый сотрудник с понедельника', 'Пропадает Wi-Fi на складе', '1С выдаёт ошибку при закрытии месяца', 'Сканер присылает пустые страницы', 'Не приходят письма от поставщика'];
const EN_BODY = 'Hello team,\n\nsince this morning the problem is back. I restarted the computer twice and it did not help. Could someone have a look today? I am at my desk until 6 pm.\n\nThanks,\n';
const RU_BODY = 'Добрый день!\n\nС утра снова та же проблема. Перезагружал компьютер дважды — не помогло. Посмотрите, пожалуйста, сегодня, я на месте до 18:00.\n\nС уважением,\n';
const NAMES = [['Anna Petrova', 'anna.petrova'], ['John Smith', 'j.smith'], ['Сергей Ким', 'sergey.kim'], ['Linda Martinez', 'linda.m'], ['Мария Волкова', 'm.volkova'], ['Ken Tanaka', 'k.tanaka'], ['Игорь Северов', 'i.severov'], ['Olga Belova', 'o.belova']];
const DOMAINS = ['romashka.ru', 'acme.example', 'severtrans.ru', 'client.example'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
    const r = rand();
    let kind: string;
    let raw: Buffer;
    if (r < 0.3) {
      kind = 'plain';
      raw = await compose({ from: { name, address: from }, to: 'support@desk.example', subject, text: body, date, messageId: `<${messageId}>` });
    } else if (r < 0.4) {
      kind = 'cyrillic-8bit';
      raw = rawCharset({ from, subject: pick(RU_SUBJECTS) + ` (${i})`, date, messageId }, RU_BODY + name, rand() < 0.5 ? 'windows-1251' : 'koi8-r');
    } else if (r < 0.55) {
      kind = 'html';
      const html = `<div><p>${body.split('\n\n').map((p) => p.replace(/\n/g, '<br>')).join('</p><p>')}</p><img src="cid:logo@corp"></div>`;
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject, text: body, html, date, messageId: `<${messageId}>`,
        attachments: [{ filename: 'logo.png', content: attachment.subarray(0, 2048), cid: 'logo@corp', contentType: 'image/png' }],
      });
    } else if (r < 0.65) {
      kind = 'attachment';
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject, text: body, date, messageId: `<${messageId}>`,
        attachments: [{ filename: ru ? 'скриншот ошибки.pdf' : 'error screenshot.pdf', content: attachment, contentType: 'application/pdf' }],
      });
    } else if (r < 0.85 && sent.length > 0) {
      kind = 'reply';
      const orig = sent[Math.floor(rand() * sent.length)];
      const quoted = (orig.ru ? RU_BODY : EN_BODY).split('\n').map((l) => `> ${l}`).join('\n');
      const header = orig.ru ? `${date.toUTCString()}, ${orig.name} <${orig.from}> написал(а):` : `On ${date.toUTCString()}, ${orig.name} <${orig.from}> wrote:`;
      raw = await compose({
        from: { name: orig.name, address: orig.from }, to: 'support@desk.example', subject: `Re: ${orig.subject}`,
        text: `${orig.ru ? 'Всё ещё не работает, посмотрите ещё раз.' : 'Still broken, please have another look.'}\n\n${header}\n${quoted}`,
        date, messageId: `<${messageId}>`, inReplyTo: `<${orig.messageId}>`, references: [`<${orig.messageId}>`],
      });
    } else if (r < 0.93) {
      kind = 'auto-reply';
      raw = await compose({
        from: { name, address: from }, to: 'support@desk.example', subject: ru ? `Автоответ: ${subject}` : `Out of Office: ${subject}`,
        text: ru ? 'Я в отпуске до понедельника. По срочным вопросам звоните дежурному.' : 'I am out of the office until Monday with limited access to email.',
        date, messageId: `<${messageId}>`, headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' },
      });
    } else {
      kind = 'bounce';
      const orig = sent.length ? sent[Math.floor(rand() * sent.length)] : { messageId: `ack-${i}@desk.example`, subject: 'Your request', from };
      raw = bounce({ date, messageId }, { to: orig.from, messageId: orig.messageId, subject: orig.subject }, rand() < 0.7);
    }
    if (kind === 'plain' || kind === 'html' || kind === 'attachment') sent.push({ messageId, subject, from, name, ru });
    out.push({ kind, raw });
  }
  return out;
}
