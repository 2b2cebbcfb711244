import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture, OUR_MESSAGE_ID } from '../../../test/helpers/intake.ts';
import { detectBounce } from './detect-bounce.ts';

describe('detect-bounce', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());
  const steps = [detectBounce];

  it('reads a permanent DSN (5.1.1) with the returned original', async () => {
    const d = await decide(deps, fixture('bounce-5.1.1.eml'), { steps });
    expect(d.bounce).toEqual({
      permanent: true, status: '5.1.1', recipients: ['anna@client.example'], originalMessageId: OUR_MESSAGE_ID, action: 'failed',
      diagnostic: '550 5.1.1 <anna@client.example>: Recipient address rejected: User unknown in virtual mailbox table',
    });
  });

  it('reads a transient DSN (4.4.1) as not permanent', async () => {
    const d = await decide(deps, fixture('bounce-4.4.1.eml'), { steps });
    expect(d.bounce).toMatchObject({ permanent: false, status: '4.4.1', action: 'delayed', recipients: ['anna@client.example'], originalMessageId: OUR_MESSAGE_ID });
  });

  it.each([
    ['bounce-null-sender-dragonfly.eml', true],
    ['bounce-from-empty-brackets.eml', true],
    ['bounce-post-master.eml', true],
    ['bounce-exim-delayed-warning.eml', false],
  ])('recognises the plain-text bounce %s (permanent: %s)', async (name, permanent) => {
    const d = await decide(deps, fixture(name), { steps });
    expect(d.bounce).not.toBeNull();
    expect(d.bounce!.permanent).toBe(permanent);
  });

  it('leaves a person’s mail alone, even one that forwards a bounce', async () => {
    expect((await decide(deps, fixture('new-ticket-plain.eml'), { steps })).bounce).toBeNull();
    expect((await decide(deps, fixture('exchange-oof.eml'), { steps })).bounce).toBeNull();
  });

  const mail = (headers: string, body: string) => `${headers}\nMessage-ID: <m1@sender.example>\nMIME-Version: 1.0\n\n${body}`;

  it('reads Amazon SES notifications: a delivery and a complaint are reports, not failures', async () => {
    const from = 'From: SES <no-reply@sns.amazonaws.com>\nTo: desk@desk.example\nSubject: AWS Notification Message\nContent-Type: text/plain';
    const delivery = JSON.stringify({ notificationType: 'Delivery', delivery: { recipients: ['a@b.example'], smtpResponse: '250 2.6.0 Ok' }, mail: {} });
    expect((await decide(deps, mail(from, delivery), { steps })).bounce).toMatchObject({ permanent: false, status: '2.6.0', action: 'delivered' });
    const complaint = JSON.stringify({ notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'a@b.example' }] }, mail: {} });
    expect((await decide(deps, mail(from, complaint), { steps })).bounce).toMatchObject({ permanent: false, action: 'complained', recipients: ['a@b.example'] });
  });

  it('recognises a no-reply sender returning the mail with a failure notice (KDDI/au)', async () => {
    const raw = 'From: no-reply@x.dion.ne.jp\nTo: desk@desk.example\nSubject: Mail\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n' +
      'Your mail sent on: Thu, 29 Apr 2013\n     Could not be delivered to: <a@x.dion.ne.jp>\n     As their mailbox is full.\n--B\nContent-Type: message/rfc822\n\nFrom: desk@desk.example\nSubject: Hi\n\nHi\n--B--\n';
    expect((await decide(deps, raw, { steps })).bounce).toMatchObject({ permanent: true, recipients: ['a@x.dion.ne.jp'] });
  });

  it('recognises a server notice that names itself and says why (Exchange 2003), and fml’s list errors', async () => {
    const exchange = mail('From: System Administrator <admin@corp.example>\nTo: desk@desk.example\nSubject: Undeliverable: Hi\nX-MS-Embedded-Report:\nContent-Type: text/plain',
      'Your message\n\ndid not reach the following recipient(s):\n\nbob@corp.example on Wed, 15 Feb 2006 04:25:29 -0500\n    The recipient name is not recognized\n');
    expect((await decide(deps, exchange, { steps })).bounce).toMatchObject({ recipients: ['bob@corp.example'] });
    const fml = mail('From: list-admin@lists.example\nTo: desk@desk.example\nSubject: You desk@desk.example are not member (list ML)\nX-MLServer: fml [fml 4.0.3 release]\nContent-Type: text/plain',
      'You are not a member of this mailing list <list@lists.example>.\n');
    expect((await decide(deps, fml, { steps })).bounce).not.toBeNull();
  });

  it('leaves alone a person’s "Re: Undeliverable" and an auto-reply with an empty Return-Path', async () => {
    const reply = mail('From: Bob <bob@client.example>\nTo: desk@desk.example\nSubject: Re: Undeliverable: Hi\nContent-Type: text/plain', 'Why was this undeliverable? The address does not exist?\n');
    expect((await decide(deps, reply, { steps })).bounce).toBeNull();
    const vacation = mail('Return-Path: <>\nFrom: <user@client.example>\nTo: desk@desk.example\nSubject: Re: Your request\nAuto-Submitted: auto-replied (vacation)\nContent-Type: text/plain', 'I am away until Monday.\n');
    expect((await decide(deps, vacation, { steps })).bounce).toBeNull();
  });
});
