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
  });

  it('finds no new content in a mail that is all quotes', () => {
    const onlyQuote = '> On Thu, Apr 30, 2020 at 10:07 AM, "someone" <someone@example.com> wrote:\n>> hello';
    expect(trimReply(onlyQuote)).toEqual({ reply: '', trimmed: true });
  });

  it.each([
    ['mobile sign-offs in many languages', 'Ok.\n\nEnvoyé de mon iPhone', 'Ok.'],
    ['German mobile sign-off', 'Ok.\n\nVon meinem iPhone gesendet', 'Ok.'],
    ['Russian mobile sign-off', 'Ok.\n\nОтправлено с iPhone', 'Ok.'],
    ['Outlook for iOS', 'Ok.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>', 'Ok.'],
    ['Samsung', 'Ok.\n\nEnviado desde mi dispositivo Samsung', 'Ok.'],
    ['Italian', 'Ok.\n\nInviato da iPhone', 'Ok.'],
    ['"Name via mobile"', 'Thanks Sasha.\n\nStavros Xxxxxx\nvia mobile', 'Thanks Sasha.'],
    ['a contact block', 'Done.\n\nGina Xxxxxxxxx\ngina@example.com\n(555) 346-9947\nwww.example.com', 'Done.'],
    ['Danish Outlook block', 'Svar.\n\nFra: Peter <p@example.dk>\nSendt: 24. november 2025 10:00\nTil: Anders\nEmne: Hej\n\nHej', 'Svar.'],
    ['Finnish Outlook block', 'Vastaus.\n\nLähettäjä: Matti <m@example.fi>\nLähetetty: 1. maaliskuuta 2023 12.00\nVastaanottaja: Anna\nAihe: Hei', 'Vastaus.'],
    ['Japanese Outlook block', '了解です。\n\n差出人: 田中 <t@example.jp>\n送信日時: 2023年3月1日 12:00\n宛先: 織田\n件名: 会議', '了解です。'],
    ['Korean Gmail header', '네.\n\n2023년 3월 1일 (수) 오후 12:00, 김 <kim@example.kr>님이 작성:\n> 안녕하세요', '네.'],
    ['Turkish Gmail header', 'Tamam.\n\nAli <ali@example.com.tr>, 1 Mar 2023 Çar, 12:00 tarihinde şunu yazdı:\n> Merhaba', 'Tamam.'],
    ['Zendesk marker', 'Thanks!\n\n##- Please type your reply above this line -##\n\nYour request has been updated.', 'Thanks!'],
    ['Discourse previous replies', 'Reply.\n\n---\n*Previous Replies*\n\nOld reply.', 'Reply.'],
    ['German previous replies', 'Antwort.\n\n--- Vorherige Antworten\n\nAlt.', 'Antwort.'],
    ['header sharing a line with the answer', 'Sounds good. On Mon, Nov 2, 2026 at 9:00 AM Desk <support@desk.example> wrote:\n> Hello', 'Sounds good.'],
    ['a forward at the top keeps its text', '---------- Forwarded message ---------\nFrom: A <a@example.com>\nDate: Mon, Nov 2, 2026\nSubject: x\nTo: b@example.com\n\nThe forwarded text.', 'The forwarded text.'],
    ['a header at the top over unquoted text', 'On 15 May 2017 19:32, "A" <a@example.com> wrote:\n\nMy answer.', 'My answer.'],
    ['a dash and a name is kept', 'Thanks.\n\n-Abhishek Kona', 'Thanks.\n\n-Abhishek Kona'],
    ['a typed sign-off is kept', 'Please check.\n\nThank you,\nNoam', 'Please check.\n\nThank you,\nNoam'],
  ])('general rule: %s', (_rule, text, expected) => {
    expect(trimReply(text).reply).toBe(expected);
  });

  it('keeps answers interleaved with quotes, without the header and the trailing quote', () => {
    const text = 'Before.\nOn Tue, 2011-03-01 at 18:02 +0530, Some One wrote:\n> Hello\n\nMy answer.\n\n> More quote\n>\n\n-- \nsig';
    expect(trimReply(text).reply).toBe('Before.\n> Hello\n\nMy answer.');
  });

  it('does not take a line that merely starts with "On" for a quote header', () => {
    expect(trimReply('Blah-blah-blah\nOn blah-blah-blah').trimmed).toBe(false);
    expect(trimReply('Sent from my iPhone app, the report looks wrong.\nPlease check.').trimmed).toBe(false);
  });
  it('takes a wrapped header value that ends a sentence as part of the block when another field follows', () => {
    // closeio/quotequail tests/test_unwrap.py "Long subject" (MIT)
    const fwd = '---------- Forwarded message ----------\nFrom: Someone <someone@example.com>\nSubject: The email has a very long and confusing subject with spans over\nmultiple lines.\nTo: Destination <to@example.com>\n\nEmail text.\n';
    expect(trimReply(fwd).reply).toBe('Email text.');
    // a sentence after a two-field block is the sender's text, not a wrapped value
    expect(trimReply('Hi\n\nFrom: Bob <bob@example.com>\nSent: Monday, 1 May 2023 10:00\nThis is the end.').reply).toBe('Hi');
  });
  it('knows Mail.ru\'s and Yandex\'s "От кого:" sender field', () => {
    // closeio/quotequail tests/files/mailru_forward.html (MIT), as text
    const fwd = '-------- Пересылаемое сообщение --------\nОт кого: Иван Иванов <ivan@example.com>\nКому: Петр Петров <petr@example.com>\nДата: Среда, 14 июня 2017, 15:19 +03:00\nТема: Тестовая тема\n\nДорогой Петр,\nЭто тест!';
    expect(trimReply(fwd).reply).toBe('Дорогой Петр,\nЭто тест!');
    expect(trimReply('Спасибо!\n\nОт кого: Служба поддержки <support@desk.example>\nДата: 2 ноября 2026\n\nЗаменили картридж.').reply).toBe('Спасибо!');
  });

  it('keeps hostile long lines whole, and still cuts the quote after them', () => {
    // runs that made line rules rescan from every position: spaces, a rule of underscores, "a@" repeated
    for (const line of ['a' + ' '.repeat(200_000) + 'b', '_'.repeat(200_000), 'a@'.repeat(100_000), `x${'-'.repeat(1997)}y`]) {
      const text = `${line}\n\nOn Mon, 2 Nov 2026 at 09:00, Anna <anna@client.example> wrote:\n> the question`;
      expect(trimReply(text).reply).toBe(line.trimEnd());
    }
    // a long quoted line is still part of the quote
    expect(trimReply(`Thanks!\n\nOn Mon, 2 Nov 2026 at 09:00, Anna <anna@client.example> wrote:\n> ${'q'.repeat(5000)}\n> end`).reply).toBe('Thanks!');
  });
});
