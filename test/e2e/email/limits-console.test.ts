// What the console shows of mail that went over a limit: the thread of a mail with more
// attachments than are stored, and the quarantine list with a mail too big to read.
import { beforeEach, describe, expect, it } from 'vitest';
import { quarantineByReference } from '../../../src/intake/quarantine-by-reference.ts';
import { manyAttachments } from '../../helpers/hostile-mail.ts';
import { addUser, Browser } from '../../helpers/web.ts';
import { useTestDesk } from '../../helpers/test-desk.ts';

describe('limits on one mail, in the console', () => {
  const desk = useTestDesk({ env: { MAX_ATTACHMENTS_PER_MAIL: '5' }, file: true });
  let admin: Browser;
  beforeEach(async () => {
    admin = await desk.signIn(await addUser(desk.srv.services, 'admin'));
  });

  it('says on the thread how many attachments are only in the original mail, and serves the original with all of them', async () => {
    const raw = manyAttachments(12);
    const r = await desk.srv.services.intake.receive({ channel: 'email', source: 'pipe', mailboxId: null, raw });
    const page = await admin.get('/tickets/1');
    expect(page.status).toBe(200);
    expect(page.text.match(/href="\/attachments\/\d+"/g)).toHaveLength(5);
    expect(page.text).toContain('7 more attachments are only in the original mail (a mail keeps at most 5: MAX_ATTACHMENTS_PER_MAIL)');
    expect(page.text).toContain(`href="/inbound/${r.inboundId}/raw"`);
    const original = await admin.get(`/inbound/${r.inboundId}/raw`);
    expect(original.status).toBe(200);
    expect(original.text).toBe(raw.toString('utf8'));
    expect(original.text).toContain('filename="f12.txt"');
  });

  it('lists a mail quarantined by reference with its plain reason and real size, its headers to download and no reprocessing', async () => {
    const headers = Buffer.from('From: Eve <eve@hostile.example>\r\nSubject: Scans\r\n\r\n');
    const error = 'mail is 30 MB, over the 25 MB limit (MAX_MAIL_BYTES): only its headers were read; it is still in the mailbox (folder "INBOX", UID 7)';
    const q = await quarantineByReference(desk.deps, {
      channel: 'email', source: 'imap', mailboxId: null, headers, fromAddress: 'eve@hostile.example', subject: 'Scans', externalId: null,
      ref: { folder: 'INBOX', uidValidity: '1', uid: 7, size: 30 * 1024 * 1024 }, reason: error,
    });
    const list = await admin.get('/admin/inbound');
    const row = list.text.slice(list.text.indexOf(`data-inbound="${q.inboundId}"`), list.text.indexOf('</tr>', list.text.indexOf(`data-inbound="${q.inboundId}"`)));
    expect(row).toContain(error.replace(/"/g, '&quot;'));
    expect(row).toContain('30.0 MB');
    expect(row).toContain('Download its headers');
    expect(row).not.toContain('/reprocess');
    expect((await admin.get(`/inbound/${q.inboundId}/raw`)).text).toBe(headers.toString());

    // "reprocess all" leaves it where it is
    await admin.get('/admin/inbound');
    const all = await admin.post('/admin/inbound/reprocess-all', { view: 'quarantined' });
    expect(all.status).toBe(303);
    expect((await admin.get('/admin/inbound')).text).toContain(`data-inbound="${q.inboundId}"`);
    expect(await desk.deps.db.value('select count(*) n from tickets')).toBe(0);
  });
});
