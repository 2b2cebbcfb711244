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
  ])('treats %o as automatic', async (headers, reason) => {
    expect(await reasonOf(makeMail({ headers }))).toBe(reason);
  });

  it.each(['Out of Office: Printer is jammed', 'Automatic reply: VPN', 'Autoreply: hello', 'Re: Автоматический ответ: заявка', 'Abwesenheitsnotiz: Urlaub'])(
    'reads the subject "%s"',
    async (subject) => {
      expect(await reasonOf(makeMail({ subject }))).toBe(`subject: ${subject}`);
    },
  );

  it('does not mistake a person for a machine', async () => {
    expect(await reasonOf(makeMail({ headers: { 'Auto-Submitted': 'no' } }))).toBeUndefined();
    expect(await reasonOf(makeMail({ subject: 'My auto reply rule does not work in Outlook' }))).toBeUndefined();
    expect(await reasonOf(fixture('new-ticket-plain.eml'))).toBeUndefined();
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
