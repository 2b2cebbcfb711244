// Hostile mail through the whole intake: each one is stored with capped content or quarantined
// with a plain reason, and the next, ordinary mail is still taken in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import * as hostile from '../../../test/helpers/hostile-mail.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { buildServices } from '../../services.ts';
import { getInbound } from '../../store/inbound.ts';
import { listTicketMessages } from '../../store/messages.ts';
import { capChars, limitReason, MAX_TEXT_CHARS, sizeText } from './mail-limits.ts';

describe('limits on one mail', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  const receive = (raw: Buffer, d: TestDeps = deps) => buildServices(d).intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
  const rows = async (sql: string, ...args: unknown[]) => (await deps.db.all(sql, ...args)) as Record<string, unknown>[];

  /** the mail after a hostile one is still taken in */
  async function nextMailIsTakenIn(): Promise<void> {
    const r = await receive(Buffer.from(makeMail({ subject: 'An ordinary mail after it' })));
    expect(r.outcome).toBe('created');
  }

  it('stores at most MAX_ATTACHMENTS_PER_MAIL attachments; the thread says how many more are in the original, which is archived', async () => {
    const raw = hostile.manyAttachments(130);
    const r = await receive(raw);
    expect(r.outcome).toBe('created');
    const stored = (await rows('select filename from attachments order by id')).map((a) => a.filename);
    expect(stored).toHaveLength(100);
    expect(stored.slice(0, 2)).toEqual(['f1.txt', 'f2.txt']);
    expect(stored.at(-1)).toBe('f100.txt');
    const note = '30 more attachments are only in the original mail (a mail keeps at most 100: MAX_ATTACHMENTS_PER_MAIL)';
    const rec = await getInbound(deps.db, r.inboundId!);
    expect(rec.problems).toEqual([note]);
    const event = (await listTicketMessages(deps.db, r.ticketId!)).find((m) => m.eventType === 'intake.problems');
    expect(event?.bodyText).toBe(note);
    expect(event?.eventData).toMatchObject({ inboundId: r.inboundId });
    // the original, every attachment in it, is kept byte for byte
    expect((await deps.files.read('raw', rec.rawSha256)).equals(raw)).toBe(true);
    await nextMailIsTakenIn();
  });

  it('takes the cap from MAX_ATTACHMENTS_PER_MAIL, one line for one attachment', async () => {
    const three = await makeTestDeps({ MAX_ATTACHMENTS_PER_MAIL: '3' });
    try {
      const r = await receive(hostile.manyAttachments(4), three);
      expect(((await three.db.get('select count(*) n from attachments')) as { n: number }).n).toBe(3);
      expect((await getInbound(three.db, r.inboundId!)).problems).toEqual(['1 more attachment is only in the original mail (a mail keeps at most 3: MAX_ATTACHMENTS_PER_MAIL)']);
    } finally {
      three.close();
    }
  });

  it('quarantines a mail of more than 1,000 parts with a plain reason', async () => {
    const r = await receive(hostile.manyAttachments(1200));
    expect(r.outcome).toBe('quarantined');
    expect(r.error).toBe('mail has more than 1,000 parts');
    expect((await getInbound(deps.db, r.inboundId!)).error).toBe('mail has more than 1,000 parts');
    expect(await rows('select id from attachments')).toEqual([]);
    await nextMailIsTakenIn();
  });

  it('stores a multipart nested 200 deep, with the text at its bottom', async () => {
    const r = await receive(hostile.nestedMultipart(200));
    expect(r.outcome).toBe('created');
    expect((await listTicketMessages(deps.db, r.ticketId!))[0].bodyText).toBe('Found me at the bottom.');
    await nextMailIsTakenIn();
  });

  it('quarantines a multipart nested 2,000 deep (2,000 parts) with a plain reason', async () => {
    const r = await receive(hostile.nestedMultipart(2000));
    expect(r).toMatchObject({ outcome: 'quarantined', error: 'mail has more than 1,000 parts' });
    await nextMailIsTakenIn();
  });

  it('quarantines a mail with 5 MB of headers with a plain reason', async () => {
    const r = await receive(hostile.hugeHeaders(5 * 1024 * 1024));
    expect(r).toMatchObject({ outcome: 'quarantined', error: 'mail has a header block larger than 1 MB' });
    await nextMailIsTakenIn();
  });

  it('cuts a subject of 500,000 characters to 1,000', async () => {
    const r = await receive(hostile.hugeSubject(500_000));
    expect(r.outcome).toBe('created');
    const ticket = (await rows('select subject from tickets where id = ?', r.ticketId))[0];
    expect(ticket.subject).toBe('S'.repeat(1000));
    expect((await getInbound(deps.db, r.inboundId!)).problems).toEqual([
      'the subject has 500,000 characters; the first 1,000 are kept, the whole subject is in the original mail',
    ]);
    await nextMailIsTakenIn();
  });

  it('keeps the first 1 MB of a base64 text part that decodes to 18 MB', async () => {
    const r = await receive(hostile.base64Text(18 * 1024 * 1024));
    expect(r.outcome).toBe('created');
    const msg = (await listTicketMessages(deps.db, r.ticketId!))[0];
    expect(msg.bodyText.length).toBe(MAX_TEXT_CHARS);
    expect(msg.bodyText.startsWith('All work and no play makes Jack a dull boy.\n')).toBe(true);
    expect((await getInbound(deps.db, r.inboundId!)).problems).toEqual([
      'the text has 18,874,368 characters; the first 1,048,576 are kept, the whole text is in the original mail',
    ]);
    await nextMailIsTakenIn();
  });

  it('stores a mail whose attachment is 2 MB of characters that are not base64', async () => {
    const raw = hostile.base64Garbage(2 * 1024 * 1024);
    const r = await receive(raw);
    expect(r.outcome).toBe('created');
    const [att] = await rows('select filename, size from attachments');
    // what the decoder made of it (less than the input); the original keeps the exact bytes
    expect(att.filename).toBe('report.pdf');
    expect(att.size as number).toBeLessThan(2 * 1024 * 1024);
    expect((await listTicketMessages(deps.db, r.ticketId!))[0].bodyText).toBe('The report is attached.');
    await nextMailIsTakenIn();
  });

  it('keeps the text, not the HTML, of a mail whose HTML nests 100,000 elements deep', async () => {
    const r = await receive(hostile.deepHtml(100_000));
    expect(r.outcome).toBe('created');
    const msg = (await listTicketMessages(deps.db, r.ticketId!))[0];
    expect(msg.bodyText).toBe('The plain text of a deep HTML mail.');
    expect(msg.bodyHtml).toBeNull();
    expect((await getInbound(deps.db, r.inboundId!)).problems).toEqual([
      'the HTML nests elements more than 1,000 deep; it is not kept (the text is), the whole HTML is in the original mail',
    ]);
    await nextMailIsTakenIn();
  });

  it('keeps neither the HTML nor its text of an HTML-only mail of 80,000 nesting <li><p> pairs, and goes on', async () => {
    const r = await receive(hostile.listParagraphHtml(80_000));
    expect(r.outcome).toBe('created');
    const msg = (await listTicketMessages(deps.db, r.ticketId!))[0];
    expect(msg.bodyHtml).toBeNull();
    expect((await getInbound(deps.db, r.inboundId!)).problems).toEqual([
      'the HTML nests elements more than 1,000 deep; it is not kept (the text is), the whole HTML is in the original mail',
    ]);
    await nextMailIsTakenIn();
  });

  it('keeps HTML nested as deep as real mail', async () => {
    const r = await receive(hostile.deepHtml(200));
    expect((await listTicketMessages(deps.db, r.ticketId!))[0].bodyHtml).toContain('deep');
    expect((await getInbound(deps.db, r.inboundId!)).problems).toBeNull();
  });
});

describe('mail-limits helpers', () => {
  it('writes sizes as people do', () => {
    expect(sizeText(512)).toBe('512 bytes');
    expect(sizeText(1024 * 1024)).toBe('1 MB');
    expect(sizeText(1536 * 1024)).toBe('1.5 MB');
    expect(sizeText(64 * 1024)).toBe('64 KB');
  });

  it('gives a plain reason for the MIME splitter limits only', () => {
    const err = (message: string) => Object.assign(new Error(message), { code: 'EMAXLEN' });
    expect(limitReason(err('Max allowed child nodes exceeded'))).toBe('mail has more than 1,000 parts');
    expect(limitReason(err('Max header size for a MIME node exceeded'))).toBe('mail has a header block larger than 1 MB');
    expect(limitReason(new Error('Max allowed child nodes exceeded'))).toBeUndefined();
  });

  it('cuts text to a length and says so', () => {
    expect(capChars('abc', 3, 'text')).toEqual({ text: 'abc', problem: null });
    expect(capChars('abcd', 3, 'text')).toEqual({ text: 'abc', problem: 'the text has 4 characters; the first 3 are kept, the whole text is in the original mail' });
  });
});
