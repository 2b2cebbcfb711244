import { describe, expect, it } from 'vitest';
import { autoAnswerRefusal, isNoReplyAddress } from './auto-mail.ts';

const mail = (headers: Record<string, string>, from: string | null = 'anna@client.example') => ({
  from,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
});

describe('automatic answers', () => {
  it.each([
    'noreply@x.example', 'no-reply@x.example', 'No_Reply@x.example', 'donotreply@x.example', 'do-not-reply@x.example',
    'MAILER-DAEMON@mx.example', 'postmaster@x.example', 'bounces@list.example', 'github-noreply@x.example', 'noreply+abc@x.example',
  ])('recognises the no-reply address %s', (a) => {
    expect(isNoReplyAddress(a)).toBe(true);
  });

  it.each(['anna@x.example', 'norbert@x.example', 'replyall@x.example', 'info@x.example'])('leaves %s alone', (a) => {
    expect(isNoReplyAddress(a)).toBe(false);
  });

  it('answers a plain mail from a person', () => {
    expect(autoAnswerRefusal(mail({ subject: 'Printer' }))).toBeNull();
    expect(autoAnswerRefusal(mail({ 'auto-submitted': 'no' }))).toBeNull();
    expect(autoAnswerRefusal(mail({ precedence: 'normal' }))).toBeNull();
  });

  it.each([
    [{ 'auto-submitted': 'auto-replied' }, /Auto-Submitted/],
    [{ 'auto-submitted': 'auto-generated; owner-email="x@y"' }, /Auto-Submitted/],
    [{ precedence: 'bulk' }, /Precedence/],
    [{ precedence: 'auto_reply' }, /Precedence/],
    [{ 'list-id': '<team.lists.example>' }, /mailing list/],
    [{ 'list-unsubscribe': '<mailto:u@x>' }, /mailing list/],
    [{ 'x-auto-response-suppress': 'All' }, /X-Auto-Response-Suppress/],
    [{ 'x-auto-response-suppress': 'DR, OOF, AutoReply' }, /X-Auto-Response-Suppress/],
    [{ 'x-autoreply': 'yes' }, /auto-responder/],
    [{ 'return-path': '<>' }, /bounce/],
    [{ 'return-path': '' }, /bounce/],
    [{ 'content-type': 'multipart/report; report-type=delivery-status' }, /delivery report/],
  ])('refuses to answer %j', (headers, reason) => {
    expect(autoAnswerRefusal(mail(headers))).toMatch(reason);
  });

  it('refuses mail without a sender or from a no-reply address', () => {
    expect(autoAnswerRefusal(mail({}, null))).toMatch(/no sender/);
    expect(autoAnswerRefusal(mail({}, 'noreply@shop.example'))).toMatch(/no-reply address/);
  });
});
