import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { parse } from '../../../test/helpers/intake.ts';
import { readDeliveryReport } from './delivery-report.ts';

const head = (subject: string, type = 'text/plain') =>
  `From: Mail Delivery System <MAILER-DAEMON@mx.example>\nTo: desk@desk.example\nSubject: ${subject}\nMessage-ID: <r1@mx.example>\nMIME-Version: 1.0\nContent-Type: ${type}\n\n`;

const dsn = (notice: string, fields: string) =>
  head('Undelivered Mail Returned to Sender', 'multipart/report; report-type=delivery-status; boundary="B"') +
  `--B\nContent-Type: text/plain\n\n${notice}\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\n${fields}\n--B\nContent-Type: text/rfc822-headers\n\nMessage-ID: <orig@desk.example>\nSubject: Hello\n\n--B--\n`;

describe('readDeliveryReport', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());
  const read = async (raw: string) => readDeliveryReport(await parse(deps, raw));

  it('takes the remote server’s precise code over a generic DSN Status', async () => {
    const r = await read(dsn('failed', 'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.7.1 Access denied'));
    expect(r).toMatchObject({ status: '5.7.1', recipients: ['a@b.example'], originalMessageId: 'orig@desk.example', kind: 'dsn' });
  });

  it('reads the expired 4.4.7’s cause in the reply it quotes', async () => {
    const r = await read(dsn('expired', 'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 554 4.4.7 Message expired <421 4.4.2 Connection timed out>'));
    expect(r.status).toBe('4.4.2');
  });

  it('with no remote reply, reads each recipient’s code from the notice (OpenSMTPD)', async () => {
    const notice = 'An error has occurred:\n\na@b.example: 550 5.1.1 <a@b.example>: User unknown\nc@d.example: 552 5.2.2 <c@d.example>: Mailbox full\n';
    const r = await read(dsn(notice, 'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\n\nFinal-Recipient: rfc822; c@d.example\nAction: failed\nStatus: 5.0.0'));
    expect(r).toMatchObject({ status: '5.1.1', recipients: ['a@b.example', 'c@d.example'] });
  });

  it('keeps the remote server’s generic code when that is what it said', async () => {
    const notice = '<a@b.example>... 550 5.0.0 User unknown\n550 5.1.1 <a@b.example>... User unknown';
    const r = await read(dsn(notice, 'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.0.0 User unknown'));
    expect(r.status).toBe('5.0.0');
  });

  it('reads DSN fields written into the text when the MIME parts did not parse', async () => {
    const raw = head('Returned mail', 'multipart/report; report-type=delivery-status; boundary="NOT-THERE"') +
      'The original message was received\n\n--OTHER\n\nFinal-Recipient: RFC822; <a@b.example>\nAction: failed\nStatus: 5.5.0\n\nMessage-Id: <orig@desk.example>\n';
    expect(await read(raw)).toMatchObject({ status: '5.5.0', recipients: ['a@b.example'], originalMessageId: 'orig@desk.example' });
  });

  it('reads a DSN wrapped in a returned message (a gateway forwarding the bounce)', async () => {
    const inner = dsn('failed', 'Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown');
    const raw = head('Returned mail: User unknown', 'multipart/mixed; boundary="W"') +
      `--W\nContent-Type: text/plain\n\nThe following addresses had permanent delivery errors\n\n--W\nContent-Type: message/rfc822\n\n${inner}\n--W--\n`;
    expect(await read(raw)).toMatchObject({ status: '5.1.1', recipients: ['a@b.example'] });
  });

  it('in a plain-text bounce, skips the transcript’s success codes', async () => {
    const r = await read(head('errors from localhost') + 'Transcript of session follows.\n\n Out: 250 2.0.0 Ok\n In:  DATA\n Out: 451 4.3.0 Error: queue file write error\n Out: 221 2.0.0 Bye\n');
    expect(r).toMatchObject({ status: '4.3.0', kind: 'text' });
  });

  it('in a plain-text bounce for several recipients, takes the first one’s code', async () => {
    const r = await read(head('Mail delivery failed') +
      'The following address(es) failed:\n\n  a@b.example\n    host mx: 550 5.1.1 <a@b.example>... User Unknown\n  c@d.example\n    host mx: 550 5.2.1 <c@d.example>... Disabled\n\n------ This is a copy of the message, including all the headers. ------\n');
    expect(r).toMatchObject({ status: '5.1.1', recipients: ['a@b.example', 'c@d.example'] });
  });

  it('finds recipients in Exchange 2003 and KDDI notices', async () => {
    expect((await read(head('Undeliverable: Hi') + 'did not reach the following recipient(s):\n\nBOB@B.EXAMPLE on Wed, 15 Feb 2006 04:25:29 -0500\n')).recipients).toEqual(['bob@b.example']);
    expect((await read(head('Mail') + 'Your mail sent on: Thu, 29 Apr 2013\n     Could not be delivered to: <a@b.example>\n     As their mailbox is full.\n')).recipients).toEqual(['a@b.example']);
  });

  it('reads an Amazon SES notification', async () => {
    const json = JSON.stringify({ notificationType: 'Delivery', delivery: { recipients: ['a@b.example'], smtpResponse: '250 2.6.0 Message received' }, mail: {} });
    expect(await read(head('AWS Notification Message') + json)).toMatchObject({ kind: 'ses-delivery', status: '2.6.0', permanent: false, action: 'delivered' });
  });
});
