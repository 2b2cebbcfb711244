// The new content of replies from the mail clients our requesters use; the whole text is kept.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture } from '../../../test/helpers/intake.ts';
import { stripQuotedReply } from './strip-quoted-reply.ts';

describe('strip-quoted-reply', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());

  it.each([
    ['gmail-reply.eml', 'Thanks, it prints again.\n\nAnna', '> We replaced the fuser unit.'],
    ['outlook-reply.eml', 'It works from home now, thank you.\n\nOleg', 'Please reinstall the VPN client'],
    ['apple-mail-reply.eml', 'Friday works for me.', 'Your laptop is ready.'],
    ['thunderbird-reply.eml', 'Yes, read-only is enough.', 'Do you need write access'],
    ['thunderbird-reply-ru.eml', 'Да, чтения достаточно.', 'Вам нужен доступ на запись'],
    ['yandex-reply.eml', 'Почта снова работает, спасибо!', 'Перезапустили почтовый сервер.'],
    ['mailru-reply.eml', 'Принтер снова печатает.', 'Заменили картридж.'],
    ['ru-outlook-original-message.eml', 'Спасибо, картридж пришёл.', '-----Исходное сообщение-----'],
    ['ru-outlook-ot-block.eml', 'Монитор заменили, всё хорошо.', 'Завтра привезём новый монитор.'],
    ['talon-android-ru-quote-header.eml', 'Hello', '> Hi'],
    ['talon-apple-mail-quoted-header.eml', 'Hello', '> Hi there!'],
  ])('%s: new content without the quote, the full text kept', async (name, newText, quoted) => {
    const d = await decide(deps, fixture(name), { steps: [stripQuotedReply] });
    expect(d.content.newText).toBe(newText);
    expect(d.content.text).toContain(quoted);
  });

  it('reads an HTML-only mail from its markup: no signature, no quote', async () => {
    const d = await decide(deps, fixture('gmail-html-only-signature.eml'), { steps: [stripQuotedReply] });
    expect(d.content.newText).toBe('It prints again & faster.');
    expect(d.content.text).toContain('Accounting, room 312');
  });

  it('leaves a mail without a quote as it is (no separate new text)', async () => {
    const d = await decide(deps, fixture('new-ticket-plain.eml'), { steps: [stripQuotedReply] });
    expect(d.content.newText).toBeNull();
  });
});
