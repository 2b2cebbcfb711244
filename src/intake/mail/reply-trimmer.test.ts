import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trimReply } from './reply-trimmer.ts';

const reply = (name: string) => readFileSync(new URL(`../../../fixtures/email/replies/${name}`, import.meta.url), 'utf8');

describe('trimReply', () => {
  it.each([
    ['trimmer-german-schrieb-am.txt', 'Hi there! I am replying from my german Google Inbox.'],
    ['trimmer-gmail-date-header-split.txt', "I just saw the standard plan has the slack integration.\n\nThank you!"],
    ['trimmer-outlook-trailing-rule.txt', 'This is a reply from Outlook!'],
  ])('cuts the quote header of %s', (name, expected) => {
    expect(trimReply(reply(name))).toEqual({ reply: expected, trimmed: true });
  });

  it('ends the reply at "Sent from my …" when the unmarked quoted mail follows', () => {
    const r = trimReply(reply('crisp-sent-from-then-quote.txt'));
    expect(r.reply.endsWith('Fusce sed odio id arcu varius aliquet nec nec nibh.')).toBe(true);
    expect(r.reply).not.toContain('Etiam non sagittis');
  });

  it.each([
    // talon's inline cases (mailgun/talon tests/text_quotations_test.py, Apache-2.0)
    ['Test reply\n\nOn Tue, Apr 11, 2017 at 10:07 PM John Smith\n\n<\nmailto:John Smith <johnsmith@gmail.com>\n> wrote:\nTest quoted data\n', 'Test reply'],
    ['Lorem\nDen 14 september, 2015 02:23:18, Valentino Rudy (valentino@rudy.be) skrev:\n\nVeniam laborum mlkshk kale chips authentic.\n', 'Lorem'],
    ['reply\nbla-bla - bla--- On Wed, Apr 4, 2012 at 3:59 PM, me@domain.com wrote:\n> Hi', 'reply'],
    ['Test reply\n\nOn 04/19/2011 07:10 AM, Roman Tkachenko wrote:\n\n>\n> Test\n\nRegards, Roman', 'Test reply\n\nRegards, Roman'],
    ['Allo! Follow up MIME!\n\nFrom: somebody@example.com\nSent: March-19-11 5:42 PM\nTo: Somebody\nSubject: The manager has commented on your Loop\n\nBlah-blah-blah\n', 'Allo! Follow up MIME!'],
    // Russian clients
    ['Спасибо!\n\nПонедельник, 2 ноября 2026, 15:30 +03:00 от Служба поддержки <support@desk.example>:\n\nЗаменили картридж.', 'Спасибо!'],
    ['Готово.\n\n-----Исходное сообщение-----\nОт: Служба поддержки\nОтправлено: 2 ноября 2026 г. 16:40\nТема: Картридж\n\nКартридж отправлен.', 'Готово.'],
    ['Да.\n\nОтправлено из мобильной Почты Mail.ru', 'Да.'],
  ])('trims %j', (text, expected) => {
    expect(trimReply(text).reply).toBe(expected);
  });

  it('keeps what must stay whole: a forward, interleaved answers, a mail that is all quote', () => {
    const fwd = 'FYI\n\n---------- Forwarded message ----------\nFrom: bob@example.com\nDate: Tue, Sep 4, 2012 at 1:35 PM\nSubject: Two\nTo: rob@example.com\n\nText';
    expect(trimReply(fwd)).toEqual({ reply: fwd, trimmed: false });
    const inline = 'Visit us now for assistance...\n>>> >>>  http://www.domain.com <<<\nVisit our site by clicking the link above';
    expect(trimReply(inline).trimmed).toBe(false);
    const onlyQuote = '> On Thu, Apr 30, 2020 at 10:07 AM, "someone" <someone@example.com> wrote:\n>> hello';
    expect(trimReply(onlyQuote)).toEqual({ reply: onlyQuote, trimmed: false });
  });

  it('does not take a line that merely starts with "On" for a quote header', () => {
    expect(trimReply('Blah-blah-blah\nOn blah-blah-blah').trimmed).toBe(false);
    expect(trimReply('Sent from my iPhone app, the report looks wrong.\nPlease check.').trimmed).toBe(false);
  });
});
