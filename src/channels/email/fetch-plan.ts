// How the IMAP poller downloads new mail without trusting the sizes the server lists (RFC822.SIZE).
// A message listed over MAX_MAIL_BYTES is not downloaded at all. The others are fetched in batches,
// every message cut at the batch's length (BODY.PEEK[]<0.n>), so a batch holds at most its budget
// whatever the messages really are. A message that comes back cut is fetched again alone, cut one
// byte past the limit; one longer than the limit is oversized, however the server listed it.

export type ListedMessage = { uid: number; size?: number };
export type FetchBatch<T> = { messages: T[]; /** where each downloaded message is cut */ maxLength: number };
/** what a downloaded source says about its message */
export type SourceVerdict = 'whole' | 'cut' | 'oversized';

/** messages in one FETCH, at most */
export const MAX_BATCH_MESSAGES = 100;
/** a message listed smaller is still fetched up to this length, so small errors in a listed size cost nothing */
export const MIN_CUT_BYTES = 64 * 1024;

/** Over the limit by its listed size: it is not downloaded. */
export function listedOversized(m: ListedMessage, limitBytes: number): boolean {
  return (m.size ?? 0) > limitBytes;
}

/** Where a message is cut: past its listed size, never more than one byte past the limit. */
function cutFor(m: ListedMessage, limitBytes: number): number {
  return Math.min(Math.max(m.size ?? 0, MIN_CUT_BYTES), limitBytes) + 1;
}

/**
 * The messages in order, grouped so that the downloaded ones, each cut at the batch's length, add
 * up to at most `batchBytes` (one message alone may go over it, by at most `limitBytes` + 1). A
 * message listed over the limit is in its batch but weighs nothing.
 */
export function fetchBatches<T extends ListedMessage>(list: T[], o: { limitBytes: number; batchBytes: number }): FetchBatch<T>[] {
  const out: FetchBatch<T>[] = [];
  let current: T[] = [];
  let downloads = 0;
  let maxLength = 0;
  for (const m of list) {
    const download = !listedOversized(m, o.limitBytes);
    const cut = download ? Math.max(maxLength, cutFor(m, o.limitBytes)) : maxLength;
    const tooBig = download && downloads > 0 && (downloads + 1) * cut > o.batchBytes;
    if (current.length && (current.length >= MAX_BATCH_MESSAGES || tooBig)) {
      out.push({ messages: current, maxLength });
      current = [];
      downloads = 0;
      maxLength = 0;
    }
    current.push(m);
    if (download) {
      downloads++;
      maxLength = Math.max(maxLength, cutFor(m, o.limitBytes));
    }
  }
  if (current.length) out.push({ messages: current, maxLength });
  return out;
}

/** A source fetched cut at `maxLength`: the whole message, cut short, or over the limit. */
export function sourceVerdict(length: number, maxLength: number, limitBytes: number): SourceVerdict {
  if (length > limitBytes) return 'oversized';
  // a server may send more than was asked for: only a source shorter than the cut is surely whole
  return length < maxLength ? 'whole' : 'cut';
}
