// The Twilio REST client. TWILIO_API_URL points it at another base URL (a local stand-in in
// tests, a proxy) through the client's documented hook, a custom httpClient.
import twilio from 'twilio';
import type RequestClientT from 'twilio/lib/base/RequestClient.js';
import type { Config } from '../../config.ts';

export type TwilioClient = ReturnType<typeof twilio>;

class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 15_000 });
  }

  override request<TData>(opts: RequestClientT.RequestOptions<TData>) {
    const u = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: this.base + u.pathname + u.search });
  }
}

export function createTwilioClient(tw: NonNullable<Config['twilio']>): TwilioClient {
  return twilio(tw.accountSid, tw.authToken, {
    httpClient: tw.apiUrl ? new BaseUrlRequestClient(tw.apiUrl) : new twilio.RequestClient({ timeout: 15_000 }),
  });
}
