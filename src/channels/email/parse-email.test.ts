import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { fixture, parse } from '../../../test/helpers/intake.ts';

describe('parseEmail', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it.each([
    ['charset-windows-1251.eml', 'Не работает VPN', 'Не работает VPN с утра.'],
    ['charset-koi8-r.eml', 'Сломался сканер', 'Сканер не видит бумагу.'],
    ['charset-iso-8859-5.eml', 'Нужен новый пароль', 'Забыл пароль от почты.'],
    ['charset-iso-2022-jp.eml', 'プリンターが故障しました', 'プリンターが動きません。'],
    ['charset-gb2312.eml', '打印机坏了', '打印机不能打印。'],
    ['ru-undeclared-koi8r.eml', 'Не печатает принтер', 'Принтер на третьем этаже не печатает с утра.'],
  ])('decodes %s', async (name, subject, text) => {
    const m = await parse(deps, fixture(name));
    expect(m.subject).toBe(subject);
    expect(m.text).toContain(text);
    expect(m.text).not.toContain('\uFFFD');
  });

  it('reports the charset it had to guess', async () => {
    expect((await parse(deps, fixture('ru-undeclared-koi8r.eml'))).problems).toEqual([
      'header with 8-bit characters and no charset, read as koi8-r',
      'text without a charset, read as koi8-r',
    ]);
  });

  it('names attachments that have no name after their Content-ID, the mail they contain, or their type', async () => {
    const m = await parse(deps, fixture('attachment-names-from-cid.eml'));
    expect(m.attachments.map((a) => a.filename)).toEqual(['image001.jpg', 'image.jpg', 'Projector warranty.eml']);
    expect((await parse(deps, fixture('gb2312-raw-filename.eml'))).attachments.map((a) => a.filename)).toEqual(['报告.xls']);
  });

  it('marks images the HTML shows by cid: as inline, and drops Gmail\'s "[image: …]" stand-ins', async () => {
    const m = await parse(deps, fixture('html-inline-image.eml'));
    expect(m.attachments).toMatchObject([{ filename: 'screenshot.png', contentType: 'image/png', contentId: 'logo@client.example', inline: true }]);
    expect(m.text).not.toContain('[image:');
    const noHtml = await parse(deps, fixture('chatwoot-inline-images-no-html.eml'));
    expect(noHtml.attachments.every((a) => a.inline)).toBe(true);
    expect(noHtml.text).not.toContain('[image: poster');
  });

  it('keeps an attachment over MAX_ATTACHMENT_BYTES out of the stored files and reports it', async () => {
    const small = await makeTestDeps({ MAX_ATTACHMENT_BYTES: '10' });
    try {
      const m = await parse(small, fixture('html-inline-image.eml'));
      expect(m.attachments).toEqual([]);
      expect(m.omittedAttachments).toEqual([{ filename: 'screenshot.png', contentType: 'image/png', size: 70 }]);
      expect(m.problems).toEqual(['attachment "screenshot.png" (70 bytes) is over the 10-byte limit (MAX_ATTACHMENT_BYTES); it is kept only in the original message']);
    } finally {
      small.close();
    }
  });

  it('reads a sender without an address (the mail system) instead of refusing the mail', async () => {
    const m = await parse(deps, fixture('bounce-null-sender-dragonfly.eml'));
    expect(m.from).toEqual({ address: 'mailer-daemon', name: 'MAILER-DAEMON' });
    expect(m.problems[0]).toMatch(/the sender has no domain/);
    // the null sender with the name the mail system gives itself
    const named = await parse(deps, Buffer.from('From: Mail Delivery System <>\r\nTo: a@desk.example\r\nSubject: Delivery status notification\r\n\r\nFailed.\r\n'));
    expect(named.from).toEqual({ address: 'mailer-daemon', name: 'Mail Delivery System' });
    await expect(parse(deps, fixture('corrupt-no-headers.eml'))).rejects.toThrow(/no (mail headers|sender)/);
  });

  it('lists every part: text parts with a name, HTML parts after the first, nameless parts by their description or kind', async () => {
    const raw = [
      'From: a@client.example', 'Subject: parts', 'Content-Type: multipart/mixed; boundary="B"', '',
      '--B', 'Content-Type: text/html', '', '<p>body</p>',
      '--B', 'Content-Type: text/html', '', '<p>more</p>',
      '--B', 'Content-Type: text/plain; name="notes.txt"', 'Content-Disposition: inline', '', 'notes',
      '--B', 'Content-Type: message/delivery-status', 'Content-Description: Delivery report', '', 'Status: 5.1.1',
      '--B', 'Content-Type: application/x-thing', 'Content-ID: <32497.1617621278.2@host>', '', 'x',
      '--B', 'Content-Type: application/octet-stream; name="../../etc/passwd"', '', 'x',
      '--B', 'Content-Type: video/quicktime', '', 'x',
      '--B', 'Content-Type: video/quicktime', '', 'y',
      '--B--', '',
    ].join('\r\n');
    const m = await parse(deps, raw);
    expect(m.attachments.map((a) => a.filename)).toEqual([
      'Delivery report.txt', '32497.1617621278.2', '.._.._etc_passwd', 'video.mov', 'video1.mov', 'document.html', 'notes.txt',
    ]);
    expect(m.attachments.find((a) => a.contentType === 'message/delivery-status')?.content.toString()).toContain('Status: 5.1.1');
  });

  it('collects envelope recipients, Delivered-To and X-Original-To', async () => {
    const raw = Buffer.concat([Buffer.from('Delivered-To: Support+T1.x@desk.example\r\nX-Original-To: help@desk.example\r\n'), fixture('new-ticket-plain.eml')]);
    const m = await parse(deps, raw, { envelopeTo: ['rcpt@desk.example'] });
    expect(m.deliveredTo).toEqual(['rcpt@desk.example', 'support+t1.x@desk.example', 'help@desk.example']);
  });
});
