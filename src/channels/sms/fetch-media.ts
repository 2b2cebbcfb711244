// Downloads the media of an MMS with the account's credentials, from the Twilio API only, with a
// type allow-list and a size limit. A failure is reported, never thrown: the text is kept.
import type { InboundAttachment } from '../../intake/types.ts';

export const TWILIO_API = 'https://api.twilio.com';

const TYPES: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/bmp': 'bmp',
  'image/heic': 'heic', 'image/heif': 'heif',
  'audio/mpeg': 'mp3', 'audio/mp4': 'm4a', 'audio/aac': 'aac', 'audio/amr': 'amr', 'audio/ogg': 'ogg',
  'audio/wav': 'wav', 'audio/3gpp': '3gp',
  'video/mp4': 'mp4', 'video/3gpp': '3gp', 'video/quicktime': 'mov', 'video/mpeg': 'mpeg', 'video/webm': 'webm',
  'text/vcard': 'vcf', 'text/x-vcard': 'vcf', 'text/calendar': 'ics', 'text/plain': 'txt',
  'application/pdf': 'pdf',
};

export type MediaItem = { url: string; contentType: string };

export type MediaSource = {
  /** base URL of the API the credentials belong to (api.twilio.com, or TWILIO_API_URL) */
  apiBase: string;
  accountSid: string;
  authToken: string;
  maxBytes: number;
  timeoutMs?: number;
};

export type FetchedMedia = { attachments: InboundAttachment[]; problems: string[] };

export async function fetchMedia(items: MediaItem[], src: MediaSource): Promise<FetchedMedia> {
  const attachments: InboundAttachment[] = [];
  const problems: string[] = [];
  for (const [i, item] of items.entries()) {
    try {
      attachments.push(await fetchOne(item, i, src));
    } catch (err) {
      problems.push(`media ${i + 1} (${item.contentType || 'unknown type'}): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { attachments, problems };
}

async function fetchOne(item: MediaItem, index: number, src: MediaSource): Promise<InboundAttachment> {
  const api = new URL(src.apiBase);
  let url: URL;
  try {
    url = new URL(item.url);
  } catch {
    throw new Error('not a URL');
  }
  // the credentials go to our account's media on the configured API, nowhere else
  if (url.origin !== api.origin || !url.pathname.startsWith(`/2010-04-01/Accounts/${src.accountSid}/`)) {
    throw new Error(`refused: ${url.host} is not the Twilio API of this account`);
  }
  const signal = AbortSignal.timeout(src.timeoutMs ?? 20_000);
  const auth = `Basic ${Buffer.from(`${src.accountSid}:${src.authToken}`).toString('base64')}`;
  let res = await fetch(url, { headers: { authorization: auth }, redirect: 'manual', signal });
  // Twilio answers with a redirect to short-lived storage; follow it without the credentials
  for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
    const location = res.headers.get('location');
    if (!location || hops >= 3) throw new Error(`too many redirects`);
    await res.body?.cancel();
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.origin !== api.origin) throw new Error(`refused redirect to ${next.protocol}//${next.host}`);
    url = next;
    res = await fetch(url, { redirect: 'manual', signal });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`HTTP ${res.status}`);
  }
  const headerType = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const declared = item.contentType.split(';')[0].trim().toLowerCase();
  const contentType = headerType && headerType !== 'application/octet-stream' ? headerType : declared;
  const ext = TYPES[contentType];
  if (!ext) {
    await res.body?.cancel();
    throw new Error(`type ${contentType || 'unknown'} is not accepted`);
  }
  const declaredLength = Number(res.headers.get('content-length') ?? 'NaN');
  if (declaredLength > src.maxBytes) {
    await res.body?.cancel();
    throw new Error(`${declaredLength} bytes, over the ${src.maxBytes}-byte limit`);
  }
  const content = await readCapped(res, src.maxBytes);
  const sid = /\/Media\/(ME[0-9a-f]{32})/i.exec(item.url)?.[1];
  return {
    filename: `${sid ?? `media-${index + 1}`}.${ext}`,
    contentType,
    content,
    size: content.length,
    contentId: null,
    inline: false,
  };
}

async function readCapped(res: Response, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > max) throw new Error(`over the ${max}-byte limit`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
