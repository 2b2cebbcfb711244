// What differs between channels, asked of the channel instead of decided by its name elsewhere:
// adding a channel means one entry in TRAITS (and its adapter under src/channels/).
import type { Channel } from './vocabulary.ts';

/** The channels the desk sends on (the outbox's channels). */
export type OutboundChannel = Extract<Channel, 'email' | 'sms'>;

export type AddressKind = 'email' | 'phone';

export type ChannelTraits = {
  /** the outbound channel that carries the desk's answers to the requester of a ticket of this channel */
  answeredBy: OutboundChannel;
  /** the kind of address a person is known by on this channel (web, API and phone tickets take the requester's email) */
  addressKind: AddressKind;
  /** messages carry Message-ID, In-Reply-To and References: intake threads by them, each send gets a Message-ID */
  threadsByMessageId: boolean;
  /** messages carry the mail headers that tell machine mail: our own mail coming back, bounces, auto-replies, lists */
  mailHeaders: boolean;
  /** a message names further recipients (CC) who stay in the conversation */
  carriesCc: boolean;
  /** a reply quotes the history below its new text, which intake sets apart */
  quotesHistory: boolean;
  /** with nothing in the message to thread by, it joins a ticket by "#N" in its text or the sender's recent open ticket */
  threadsBySender: boolean;
  /** STOP / START / HELP texts are control messages, and the confirmation of a STOP still goes to an opted-out number */
  optOutKeywords: boolean;
  /** automatic sends are held back against loops: never to the desk's own addresses, and within the per-address limits */
  loopBackstop: boolean;
  /** the provider's id for a send is kept on its thread message, where the provider's delivery callbacks find it */
  providerIdOnMessage: boolean;
};

const MAIL: ChannelTraits = {
  answeredBy: 'email',
  addressKind: 'email',
  threadsByMessageId: true,
  mailHeaders: true,
  carriesCc: true,
  quotesHistory: true,
  threadsBySender: false,
  optOutKeywords: false,
  loopBackstop: true,
  providerIdOnMessage: false,
};

/** Tickets opened through a form or a program (console, portal, API, an agent logging a call): answered by mail, no messages of their own to parse. */
const OPENED_BY_FORM: ChannelTraits = {
  answeredBy: 'email',
  addressKind: 'email',
  threadsByMessageId: false,
  mailHeaders: false,
  carriesCc: false,
  quotesHistory: false,
  threadsBySender: false,
  optOutKeywords: false,
  loopBackstop: false,
  providerIdOnMessage: false,
};

const TRAITS: Record<Channel, ChannelTraits> = {
  email: MAIL,
  sms: {
    answeredBy: 'sms',
    addressKind: 'phone',
    threadsByMessageId: false,
    mailHeaders: false,
    carriesCc: false,
    quotesHistory: false,
    threadsBySender: true,
    optOutKeywords: true,
    loopBackstop: false,
    providerIdOnMessage: true,
  },
  web: OPENED_BY_FORM,
  api: OPENED_BY_FORM,
  phone: OPENED_BY_FORM,
};

export function channelTraits(channel: Channel): ChannelTraits {
  return TRAITS[channel];
}

/** Whether an address (a sender, a requester, a participant) is a phone number (E.164, "+…") or an email address. */
export function addressKindOf(address: string): AddressKind {
  return address.startsWith('+') ? 'phone' : 'email';
}
