import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../../test/helpers/deps.ts';
import { decide, fixture } from '../../../test/helpers/intake.ts';
import { makeMail } from '../../../test/helpers/mail.ts';
import { mayAcknowledge } from '../may-acknowledge.ts';
import { detectAutoReply } from './detect-auto-reply.ts';
import { detectBounce } from './detect-bounce.ts';

describe('detect-auto-reply', () => {
  let deps: TestDeps;
  beforeEach(async () => {
    deps = await makeTestDeps();
  });
  afterEach(() => deps.close());
  const steps = [detectBounce, detectAutoReply];
  const reasonOf = async (raw: Buffer | string) => (await decide(deps, raw, { steps })).autoReply?.reason;

  it('recognises Exchange and Zimbra out-of-office replies and the Russian "Автоответ"', async () => {
    expect(await reasonOf(fixture('exchange-oof.eml'))).toBe('Auto-Submitted: auto-generated');
    expect(await reasonOf(fixture('exchange-oof-unmatched.eml'))).toBe('X-Auto-Response-Suppress: All');
    expect(await reasonOf(fixture('zimbra-oof.eml'))).toBe('Auto-Submitted: auto-replied (zimbra; vacation)');
    expect(await reasonOf(fixture('ru-autootvet.eml'))).toBe('subject: Автоответ: Принтер зажевал бумагу [#1]');
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ Precedence: 'bulk' }, 'Precedence: bulk'],
    [{ Precedence: 'junk' }, 'Precedence: junk'],
    [{ Precedence: 'list' }, 'Precedence: list'],
    [{ 'X-Autoreply': 'yes' }, 'x-autoreply: yes'],
    [{ 'X-Autorespond': 'vacation' }, 'x-autorespond: vacation'],
    [{ 'X-Loop': 'desk@example.com' }, 'X-Loop: desk@example.com'],
    [{ 'X-Auto-Response': 'yes' }, 'x-auto-response: yes'],
    [{ 'X-Vacation': 'on' }, 'x-vacation: on'],
    [{ 'X-Apple-Action': 'vacation' }, 'X-Apple-Action: vacation'],
    [{ 'X-Auto-Response-Suppress': 'All', 'X-MS-Exchange-Inbox-Rules-Loop': 'it@client.example' }, 'X-Auto-Response-Suppress: All'],
  ])('treats %o as automatic', async (headers, reason) => {
    expect(await reasonOf(makeMail({ headers }))).toBe(reason);
  });

  it.each(['Out of Office: Printer is jammed', 'Automatic reply: VPN', 'Autoreply: hello', 'Re: Автоматический ответ: заявка', 'Abwesenheitsnotiz: Urlaub', 'Automatisk svar: Ferie', 'Risposta automatica: Ferie', 'Odpowiedź automatyczna: urlop', '自動応答: 休暇', '자동 회신: 휴가'])(
    'reads the subject "%s"',
    async (subject) => {
      expect(await reasonOf(makeMail({ subject }))).toBe(`subject: ${subject}`);
    },
  );

  it('does not mistake a person for a machine', async () => {
    expect(await reasonOf(makeMail({ headers: { 'Auto-Submitted': 'no' } }))).toBeUndefined();
    expect(await reasonOf(makeMail({ subject: 'My auto reply rule does not work in Outlook' }))).toBeUndefined();
    expect(await reasonOf(fixture('new-ticket-plain.eml'))).toBeUndefined();
    // German "Auto" is a car; "Abwesenheit" is a word a person opens a subject with
    expect(await reasonOf(makeMail({ subject: 'Auto: Reifenwechsel für den Dienstwagen' }))).toBeUndefined();
    expect(await reasonOf(makeMail({ headers: { 'X-Autoreply': 'no', 'X-Vacation': 'off' } }))).toBeUndefined();
  });

  it('does not take a mail forwarded by an Exchange mailbox rule for an automatic reply', async () => {
    // the rule's loop mark alone: a person's mail that an Exchange inbox rule forwarded into the desk
    const d = await decide(deps, makeMail({ headers: { 'X-MS-Exchange-Inbox-Rules-Loop': 'helpdesk@client.example' } }), { steps });
    expect(d.autoReply).toBeNull();
    expect(mayAcknowledge(d)).toBe(true);
  });

  it('flags mailing-list mail so it is never acknowledged, without calling it an auto-reply', async () => {
    const d = await decide(deps, fixture('mailing-list.eml'), { steps });
    expect(d.autoReply).toBeNull();
    expect(d.mailingList).toEqual({ listId: 'it-announce.lists.client.example' });
    expect(mayAcknowledge(d)).toBe(false);
    expect(mayAcknowledge(await decide(deps, fixture('new-ticket-plain.eml'), { steps }))).toBe(true);
  });

  it('leaves bounces to detect-bounce', async () => {
    const d = await decide(deps, fixture('bounce-5.1.1.eml'), { steps });
    expect(d.bounce).not.toBeNull();
    expect(d.autoReply).toBeNull();
  });
});
