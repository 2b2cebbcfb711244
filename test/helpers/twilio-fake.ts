// A local HTTP server standing in for Twilio's REST API (the one fake the tests allow), reached
// through TWILIO_API_URL. It records every request exactly as it arrived, answers Messages.json
// like Twilio does, and serves MMS media behind the account's Basic auth with a redirect to
// "storage", as Twilio does. Also: helpers to post webhooks signed with Twilio's own code.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TEST_AUTH_TOKEN = 'test-auth-token-0123456789';

export type RecordedRequest = {
  method: string;
  path: string;
  search: string;
  headers: IncomingMessage['headers'];
  auth: { user: string; password: string } | null;
  form: Record<string, string>;
};

export type FakeMedia = { contentType: string; body: Buffer; status?: number };

export type TwilioFake = {
  url: string;
  requests: RecordedRequest[];
  /** Messages.json calls only */
  messages(): RecordedRequest[];
  /** a media file of this account, as MediaUrlN of an inbound MMS */
  addMedia(media: FakeMedia): string;
  /** the next Messages.json answers (status + JSON body), then back to 201 */
  failNext(...answers: { status: number; body: Record<string, unknown> }[]): void;
  close(): Promise<void>;
};

const hex = (n: number) => randomBytes(n).toString('hex');

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function basicAuth(header: string | undefined): RecordedRequest['auth'] {
  const m = /^Basic (.+)$/.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return { user: text.slice(0, i), password: text.slice(i + 1) };
}

export async function startTwilioFake(opts: { accountSid?: string; authToken?: string } = {}): Promise<TwilioFake> {
  const accountSid = opts.accountSid ?? TEST_ACCOUNT_SID;
  const authToken = opts.authToken ?? TEST_AUTH_TOKEN;
  const requests: RecordedRequest[] = [];
  const media = new Map<string, FakeMedia>();
  const storage = new Map<string, FakeMedia>();
  const failures: { status: number; body: Record<string, unknown> }[] = [];
  const base = `/2010-04-01/Accounts/${accountSid}`;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://fake');
      const body = await readBody(req);
      const auth = basicAuth(req.headers.authorization);
      const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
      requests.push({ method: req.method ?? '', path: u.pathname, search: u.search, headers: req.headers, auth, form });
      const json = (status: number, obj: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const authorized = auth?.user === accountSid && auth.password === authToken;

      if (req.method === 'POST' && u.pathname === `${base}/Messages.json`) {
        if (!authorized) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
        const fail = failures.shift();
        if (fail) return json(fail.status, fail.body);
        const sid = `SM${hex(16)}`;
        return json(201, {
          sid, account_sid: accountSid, to: form.To, from: form.From ?? null, messaging_service_sid: form.MessagingServiceSid ?? null,
          body: form.Body, status: form.MessagingServiceSid ? 'accepted' : 'queued', num_segments: '1', num_media: '0', direction: 'outbound-api',
          api_version: '2010-04-01', date_created: new Date().toUTCString(), date_updated: new Date().toUTCString(), date_sent: null,
          error_code: null, error_message: null, price: null, price_unit: 'USD', uri: `${base}/Messages/${sid}.json`, subresource_uris: {},
        });
      }
      const m = media.get(u.pathname);
      if (req.method === 'GET' && m) {
        if (!authorized) return json(401, { code: 20003, message: 'Authenticate', status: 401 });
        const key = hex(12);
        storage.set(key, m);
        res.writeHead(307, { location: `/storage/${key}` });
        return res.end();
      }
      const stored = u.pathname.startsWith('/storage/') ? storage.get(u.pathname.slice('/storage/'.length)) : undefined;
      if (req.method === 'GET' && stored) {
        res.writeHead(stored.status ?? 200, { 'content-type': stored.contentType, 'content-length': String(stored.body.length) });
        return res.end(stored.body);
      }
      json(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    requests,
    messages: () => requests.filter((r) => r.path.endsWith('/Messages.json')),
    addMedia(m) {
      const path = `${base}/Messages/MM${hex(16)}/Media/ME${hex(16)}`;
      media.set(path, m);
      return url + path;
    },
    failNext(...answers) {
      failures.push(...answers);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The env for a desk talking to the fake (PUBLIC_URL is what Twilio signs against). */
export function twilioEnv(fake: TwilioFake, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: fake.url,
    PUBLIC_URL: 'https://help.example.test',
    ...extra,
  };
}

let sidCounter = 0;
export const newSid = (prefix = 'SM') => `${prefix}${(++sidCounter).toString(16).padStart(8, '0')}${hex(12)}`;

/** The form fields Twilio posts for an incoming SMS/MMS. */
export function inboundSms(p: {
  from: string;
  body: string;
  to?: string;
  sid?: string;
  media?: { url: string; contentType: string }[];
  messagingServiceSid?: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const sid = p.sid ?? newSid(p.media?.length ? 'MM' : 'SM');
  const fields: Record<string, string> = {
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: sid, NumMedia: String(p.media?.length ?? 0), ToCity: '', FromZip: '',
    SmsSid: sid, FromState: '', SmsStatus: 'received', FromCity: '', Body: p.body, FromCountry: 'RU', To: p.to ?? '+15005550006',
    ToZip: '', NumSegments: '1', MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, From: p.from, ApiVersion: '2010-04-01',
  };
  if (p.messagingServiceSid) fields.MessagingServiceSid = p.messagingServiceSid;
  p.media?.forEach((m, i) => {
    fields[`MediaUrl${i}`] = m.url;
    fields[`MediaContentType${i}`] = m.contentType;
  });
  return { ...fields, ...p.extra };
}

/**
 * POSTs a webhook to the desk as Twilio does: form-encoded, signed with the auth token over
 * `signedAs` (the URL configured in Twilio) by Twilio's own code.
 */
export async function postSigned(
  deskUrl: string,
  path: string,
  params: Record<string, string>,
  opts: { signedAs?: string; authToken?: string; signature?: string | null; body?: string } = {},
): Promise<{ status: number; text: string; contentType: string | null }> {
  const signedAs = opts.signedAs ?? `https://help.example.test${path}`;
  const signature = opts.signature === undefined ? twilio.getExpectedTwilioSignature(opts.authToken ?? TEST_AUTH_TOKEN, signedAs, params) : opts.signature;
  const res = await fetch(deskUrl + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
      'user-agent': 'TwilioProxy/1.1',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: opts.body ?? new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}
