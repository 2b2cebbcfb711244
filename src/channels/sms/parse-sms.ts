// Turns a Twilio messaging webhook (its form fields, kept as JSON) into an InboundMessage, with
// the MMS media downloaded. Anything that is not an answerable text message is refused here and
// so kept in quarantine.
import { toE164 } from '../../domain/phone.ts';
import type { Parser } from '../../intake/receive.ts';
import type { InboundMessage } from '../../intake/types.ts';
import { fetchMedia, TWILIO_API, type MediaItem } from './fetch-media.ts';

export class MalformedSmsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedSmsError';
  }
}

export type TwilioParams = Record<string, string | string[]>;

export function readTwilioParams(raw: Buffer): TwilioParams {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedSmsError('not the JSON form fields of a Twilio webhook');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new MalformedSmsError('not the JSON form fields of a Twilio webhook');
  return parsed as TwilioParams;
}

export function param(params: TwilioParams, name: string): string | undefined {
  const v = params[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** The message's id: MessageSid, or the older SmsMessageSid / SmsSid some senders still use. */
export function messageSidOf(params: TwilioParams): string | undefined {
  return param(params, 'MessageSid') || param(params, 'SmsMessageSid') || param(params, 'SmsSid') || undefined;
}

export const parseSms: Parser = async (input, deps) => {
  const params = readTwilioParams(input.raw);
  const sid = messageSidOf(params);
  if (!sid) throw new MalformedSmsError('no MessageSid: not a Twilio messaging webhook');
  const fromRaw = param(params, 'From') ?? '';
  if (/^[a-z]+:/i.test(fromRaw)) throw new MalformedSmsError(`sender ${fromRaw} is on another channel (only SMS/MMS is handled here)`);
  const from = toE164(fromRaw, deps.config.sms.defaultCountry);
  if (!from) throw new MalformedSmsError(`sender "${fromRaw}" is not a phone number we can answer`);
  const toRaw = param(params, 'To') ?? '';
  const to = toE164(toRaw) ?? toRaw;

  let text = (param(params, 'Body') ?? '').replace(/\r\n?/g, '\n');
  const lat = param(params, 'Latitude');
  const lon = param(params, 'Longitude');
  if (lat && lon) text = `${text}${text ? '\n' : ''}📍 ${lat}, ${lon}`;

  const problems: string[] = [];
  const count = Math.min(Number(param(params, 'NumMedia') ?? '0') || 0, 10);
  const items: MediaItem[] = [];
  for (let i = 0; i < count; i++) {
    const url = param(params, `MediaUrl${i}`);
    if (url) items.push({ url, contentType: param(params, `MediaContentType${i}`) ?? '' });
  }
  let attachments: InboundMessage['attachments'] = [];
  if (items.length) {
    const tw = deps.config.twilio;
    if (!tw) problems.push(`${items.length} media not fetched: Twilio is not configured`);
    else {
      const fetched = await fetchMedia(items, {
        apiBase: tw.apiUrl ?? TWILIO_API, accountSid: tw.accountSid, authToken: tw.authToken, maxBytes: deps.config.limits.attachmentBytes,
      });
      attachments = fetched.attachments;
      problems.push(...fetched.problems);
    }
  }

  const headers: Record<string, string[]> = {};
  for (const [name, key] of [['MessagingServiceSid', 'x-twilio-messaging-service-sid'], ['OptOutType', 'x-twilio-opt-out-type'], ['AccountSid', 'x-twilio-account-sid']] as const) {
    const v = param(params, name);
    if (v) headers[key] = [v];
  }

  return {
    channel: 'sms',
    source: input.source,
    mailboxId: null,
    receivedAt: input.receivedAt,
    raw: input.raw,
    rawSha256: input.rawSha256,
    externalId: sid,
    externalIdSynthesized: false,
    from: { address: from, name: (param(params, 'ProfileName') ?? '').trim() },
    to: to ? [{ address: to, name: '' }] : [],
    cc: [],
    replyTo: [],
    deliveredTo: to ? [to] : [],
    subject: '',
    text,
    html: null,
    date: null,
    inReplyTo: [],
    references: [],
    headers,
    attachments,
    problems,
  };
};
