// STOP / START / HELP (and Russian equivalents): control messages, not support requests. The
// message is recorded but opens or joins no ticket; the SMS hook writes the opt-out state and
// queues the answer. Twilio answers its standard English keywords itself, so we answer only
// what it does not (Russian keywords, HELP unless Twilio reports it handled it).
import { channelTraits } from '../../domain/channel-traits.ts';
import { parseSmsKeyword } from '../../domain/sms-keywords.ts';
import { findContactPhone } from '../../store/contacts.ts';
import type { SmsEffect, Step } from '../types.ts';

export const detectSmsKeyword: Step = {
  name: 'detect-sms-keyword',
  async run(draft, { db }) {
    if (!channelTraits(draft.msg.channel).optOutKeywords || !draft.msg.from) return;
    const kw = parseSmsKeyword(draft.msg.text);
    if (!kw || draft.msg.attachments.length) return;
    const phone = await findContactPhone(db, draft.msg.from.address);
    const optedOut = !!phone?.smsOptedOutAt;
    if (kw.onlyWhenOptedOut && !optedOut) return;
    // Advanced Opt-Out reports the keyword it acted on (and answered) in OptOutType
    const providerHandled = (draft.msg.headers['x-twilio-opt-out-type']?.[0] ?? '') !== '';

    let effect: SmsEffect;
    if (kw.kind === 'stop') {
      effect = { keyword: 'stop', word: kw.word, optOut: optedOut ? null : 'set', reply: kw.providerStandard || providerHandled || optedOut ? null : 'opted-out', locale: kw.lang };
    } else if (kw.kind === 'start') {
      effect = { keyword: 'start', word: kw.word, optOut: optedOut ? 'clear' : null, reply: kw.providerStandard || providerHandled ? null : 'opted-in', locale: kw.lang };
    } else {
      effect = { keyword: 'help', word: kw.word, optOut: null, reply: providerHandled || optedOut ? null : 'help', locale: kw.lang };
    }
    draft.sms = effect;
    draft.drop = { outcome: 'ignored', reason: `SMS keyword ${kw.word}${effect.optOut === 'set' ? ': number opted out' : effect.optOut === 'clear' ? ': number opted in again' : ''}` };
  },
};
