import { describe, expect, it } from 'vitest';
import { addressKindOf, channelTraits, type ChannelTraits } from './channel-traits.ts';
import { CHANNELS, type Channel } from './vocabulary.ts';

// Each place that used to decide by the channel's name, with the condition it had and the trait
// question that replaced it: for every channel the answers must be the same.
const REPLACED: { where: string; old: (c: Channel) => boolean | string; now: (t: ChannelTraits) => boolean | string }[] = [
  { where: 'outbox/notification-rules.ts mailTicket', old: (c) => c !== 'sms', now: (t) => t.answeredBy === 'email' },
  { where: 'outbox/notification-rules.ts onInboundApplied (skips)', old: (c) => c !== 'email', now: (t) => !t.mailHeaders },
  { where: 'outbox/thread-refs.ts (skips)', old: (c) => c === 'sms', now: (t) => !channelTraits(t.answeredBy).threadsByMessageId },
  { where: 'outbox/backstop.ts addressBlock (phone checks)', old: (c) => c === 'sms', now: (t) => t.addressKind === 'phone' },
  { where: 'outbox/backstop.ts isStopConfirmation', old: (c) => c === 'sms', now: (t) => t.optOutKeywords },
  { where: 'outbox/backstop.ts sendBlock (own address, send limits)', old: (c) => c === 'email', now: (t) => t.loopBackstop },
  { where: 'outbox/worker.ts Message-ID', old: (c) => c === 'email', now: (t) => t.threadsByMessageId },
  { where: 'outbox/outcomes.ts provider id on the message', old: (c) => c === 'sms', now: (t) => t.providerIdOnMessage },
  { where: 'intake/apply.ts CC participants', old: (c) => c === 'email', now: (t) => t.carriesCc },
  { where: 'intake/steps/drop-own-loop.ts', old: (c) => c === 'email', now: (t) => t.mailHeaders },
  { where: 'intake/steps/detect-bounce.ts', old: (c) => c === 'email', now: (t) => t.mailHeaders },
  { where: 'intake/steps/detect-auto-reply.ts', old: (c) => c === 'email', now: (t) => t.mailHeaders },
  { where: 'intake/steps/match-follow-up.ts', old: (c) => c === 'email', now: (t) => t.threadsByMessageId },
  { where: 'intake/steps/strip-quoted-reply.ts', old: (c) => c === 'email', now: (t) => t.quotesHistory },
  { where: 'intake/steps/match-sms-thread.ts', old: (c) => c === 'sms', now: (t) => t.threadsBySender },
  { where: 'intake/steps/detect-sms-keyword.ts', old: (c) => c === 'sms', now: (t) => t.optOutKeywords },
  { where: 'policies/follow-up.ts (by SMS)', old: (c) => c === 'sms', now: (t) => t.answeredBy === 'sms' },
  { where: 'actions/ticket-links.ts (phone first)', old: (c) => c === 'sms', now: (t) => t.addressKind === 'phone' },
  { where: 'web/view-models/ticket-sms.ts isSms', old: (c) => c === 'sms', now: (t) => t.answeredBy === 'sms' },
];

describe('channelTraits', () => {
  it('describes every channel with every trait', () => {
    const keys = Object.keys(channelTraits('email')).sort();
    for (const c of CHANNELS) {
      const t = channelTraits(c);
      expect(t, c).toBeDefined();
      expect(Object.keys(t).sort(), c).toEqual(keys);
      expect(Object.values(t).every((v) => v !== undefined), c).toBe(true);
    }
  });

  it('answers every replaced question as the old condition on the channel name did', () => {
    for (const site of REPLACED) {
      for (const c of CHANNELS) expect(site.now(channelTraits(c)), `${site.where}, channel ${c}`).toBe(site.old(c));
    }
  });

  it('an outbound channel answers its own tickets', () => {
    for (const c of CHANNELS) expect(channelTraits(channelTraits(c).answeredBy).answeredBy, c).toBe(channelTraits(c).answeredBy);
  });
});

describe('addressKindOf', () => {
  it('says phone exactly where the old check (starts with "+") did', () => {
    for (const address of ['+79123456789', '+1 415 555 0100', 'anna@example.com', '+tag@example.com', '79123456789', '', 'tel:+79123456789']) {
      expect(addressKindOf(address), address).toBe(address.startsWith('+') ? 'phone' : 'email');
    }
  });
});
