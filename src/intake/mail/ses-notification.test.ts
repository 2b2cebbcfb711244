import { describe, expect, it } from 'vitest';
import { readSesNotification } from './ses-notification.ts';

const mail = { messageId: 'x', commonHeaders: { messageId: '<orig@desk.example>' } };

describe('readSesNotification', () => {
  it('reads a bounce inside an SNS envelope, with the line breaks an MTA put into long lines', () => {
    const inner = JSON.stringify({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Bob@Example.com', action: 'failed', status: '5.0.0', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
      mail,
    });
    const envelope = JSON.stringify({ Type: 'Notification', Message: inner }, null, 2);
    const wrapped = `${envelope.slice(0, 120)}!\n ${envelope.slice(120)}\n\n--\nIf you wish to stop receiving notifications from this topic…`;
    expect(readSesNotification(wrapped)).toEqual({
      kind: 'bounce', permanent: true, status: '5.1.1', action: 'failed', recipients: ['bob@example.com'], diagnostic: '550 5.1.1 user unknown', originalMessageId: 'orig@desk.example',
    });
  });

  it('reads a transient bounce as not permanent', () => {
    const n = readSesNotification(JSON.stringify({ notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'a@b.example' }] }, mail }));
    expect(n).toMatchObject({ kind: 'bounce', permanent: false, action: 'delayed' });
  });

  it('reads a delivery as a success and a complaint as a spam report', () => {
    expect(readSesNotification(JSON.stringify({ notificationType: 'Delivery', delivery: { recipients: ['a@b.example'], smtpResponse: '250 2.6.0 Message received' }, mail })))
      .toMatchObject({ kind: 'delivery', permanent: false, status: '2.6.0', action: 'delivered', recipients: ['a@b.example'] });
    expect(readSesNotification(JSON.stringify({ eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'a@b.example' }], complaintFeedbackType: 'abuse' }, mail })))
      .toMatchObject({ kind: 'complaint', permanent: false, recipients: ['a@b.example'], diagnostic: 'abuse' });
  });

  it('ignores text that is not a notification', () => {
    expect(readSesNotification('{"hello": "world"}')).toBeNull();
    expect(readSesNotification('Hi, the notificationType field is new.')).toBeNull();
  });
});
