// Mends what mailparser cannot read, before it reads it, and reports each repair as a parse
// problem. The charset fallback that never fails a message: 8-bit text without a charset (or with
// a wrong or unknown one) gets the most likely charset; declared charsets that we know are always
// trusted. And a header line that lost its folding indent (a bare "boundary=…" line) is joined
// to the header above it, so the part's content is not lost.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export function isValidUtf8(bytes: Buffer): boolean {
  return isUtf8(bytes);
}

const PARAMETER_LINE = /^\n(boundary|charset|name|filename|type)\*?=/i;

/**
 * Whether a line starts with a bare Content-Type parameter (its folding indent lost). Scans the
 * line starts instead of running one regular expression over the whole mail, which is slow on
 * large base64 bodies.
 */
function hasBareParameterLine(raw: Buffer): boolean {
  const text = raw.toString('latin1');
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    const c = text.charCodeAt(i + 1) | 0x20; // b, c, n, f, t in either case
    if (c !== 0x62 && c !== 0x63 && c !== 0x6e && c !== 0x66 && c !== 0x74) continue;
    if (PARAMETER_LINE.test(text.slice(i, i + 12))) return true;
  }
  return false;
}

// Relative frequency of Russian letters (per cent), lower case; upper case scores a third.
const RU_FREQ: Record<string, number> = {
  о: 10.97, е: 8.45, а: 8.01, и: 7.35, н: 6.7, т: 6.26, с: 5.47, р: 4.73, в: 4.54, л: 4.4, к: 3.49, м: 3.21, д: 2.98,
  п: 2.81, у: 2.62, я: 2.01, ы: 1.9, ь: 1.74, г: 1.7, з: 1.65, б: 1.59, ч: 1.44, й: 1.21, х: 0.97, ж: 0.94, ш: 0.73,
  ю: 0.64, ц: 0.48, щ: 0.36, э: 0.32, ф: 0.26, ъ: 0.04, ё: 0.04, і: 0.5, ї: 0.3, є: 0.3, ґ: 0.1, ў: 0.1,
};
const CYRILLIC = ['windows-1251', 'koi8-r', 'iso-8859-5', 'ibm866'] as const;
const LATIN_ACCENTED = /[àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽ€–—‘’“”…]/;

export type GuessedCharset = 'utf-8' | 'iso-2022-jp' | (typeof CYRILLIC)[number] | 'windows-1252';

/** The most likely charset of text bytes that came without a usable declaration. */
export function detectCharset(bytes: Buffer): GuessedCharset {
  // ESC $ B / ESC $ @ / ESC ( J: 7-bit Japanese
  if (/\x1b\$[B@]|\x1b\(J/.test(bytes.toString('latin1'))) return 'iso-2022-jp';
  if (isValidUtf8(bytes)) return 'utf-8';
  const high: number[] = [];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) high.push(i);
  // score on the high bytes with one byte of context, enough for short headers and long bodies
  const sample = Buffer.from(high.slice(0, 20_000).map((i) => bytes[i]));
  // Cyrillic words are runs of high bytes; Western text has accented letters among ASCII ones
  let inRuns = 0;
  for (const i of high) if ((i > 0 && bytes[i - 1] >= 0x80) || (i + 1 < bytes.length && bytes[i + 1] >= 0x80)) inRuns++;
  const runFraction = inRuns / Math.max(1, high.length);
  let best: GuessedCharset = 'windows-1252';
  let bestScore = latinScore(bytes, high);
  for (const cs of CYRILLIC) {
    const score = cyrillicScore(iconv.decode(sample, cs)) * Math.min(1, runFraction * 1.5);
    if (score > bestScore) {
      best = cs;
      bestScore = score;
    }
  }
  return best;
}

function cyrillicScore(text: string): number {
  let score = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const f = RU_FREQ[lower];
    if (f !== undefined) score += lower === ch ? f : f / 3;
    else score -= 4; // a symbol, box drawing or control character where a letter was expected
  }
  return score / Math.max(1, text.length);
}

function latinScore(bytes: Buffer, high: number[]): number {
  // Western text: isolated accented letters between ASCII letters ("für", "café")
  const text = iconv.decode(bytes, 'windows-1252');
  let good = 0;
  for (const i of high.slice(0, 20_000)) {
    const ch = text[i];
    const prev = i > 0 ? bytes[i - 1] : 0;
    const next = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const asciiLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
    if (LATIN_ACCENTED.test(ch) && (asciiLetter(prev) || asciiLetter(next))) good++;
  }
  // comparable to the Cyrillic per-letter score: a typical Russian text scores ~5
  return (good / Math.max(1, high.length)) * 6;
}

const JAPANESE = /^(iso-?2022-?jp(-\d)?|shift[_-]?jis|sjis|x-sjis|euc-?jp|windows-31j|cp932)$/i;

/** Whether mailparser can decode a declared charset (iconv-lite, or libmime's Japanese decoders). */
export function isKnownCharset(name: string): boolean {
  const n = name.trim().toLowerCase();
  if (!n) return false;
  if (/^(utf-?7|unicode-1-1-utf-7|x-unknown|unknown|x-user-defined|default|binary|8bit|7bit)$/.test(n)) return false;
  return JAPANESE.test(n) || iconv.encodingExists(n) || (n === 'ks_c_5601-1987');
}

const ASCII_NAMES = /^(us-?ascii|ascii|ansi_x3\.4-1968|iso646-us)$/i;

type Header = { text: string; contentType: string; params: Record<string, string> };

function parseHeader(block: string): Header {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const m = /^content-type:[ \t]*([^;\r\n]*)(.*)$/im.exec(unfolded);
  const params: Record<string, string> = {};
  if (m) {
    for (const p of m[2].matchAll(/;\s*([a-z0-9*_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/gi)) {
      params[p[1].toLowerCase()] = p[2].replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
    }
  }
  return { text: block, contentType: (m?.[1] ?? '').trim().toLowerCase(), params };
}

function transferDecode(body: string, cte: string): Buffer {
  const bytes = Buffer.from(body, 'latin1');
  if (cte === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') {
    const s = body.replace(/=\r?\n/g, '');
    const out: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        out.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(s.charCodeAt(i) & 0xff);
    }
    return Buffer.from(out);
  }
  return bytes;
}

function setCharset(headerBlock: string, charset: string): string {
  const re = /^(content-type:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)/im;
  const m = re.exec(headerBlock);
  const eol = headerBlock.includes('\r\n') ? '\r\n' : '\n';
  if (!m) return `${headerBlock}${headerBlock ? eol : ''}Content-Type: text/plain; charset="${charset}"`;
  const line = m[1];
  const replaced = /charset\s*=\s*("[^"]*"|[^;\s]*)/i.test(line)
    ? line.replace(/charset\s*=\s*("[^"]*"|[^;\s]*)/i, `charset="${charset}"`)
    : `${line}; charset="${charset}"`;
  return headerBlock.replace(line, replaced);
}

function has8bit(s: string): boolean {
  return /[\x80-\xff]/.test(s);
}

/**
 * Gives every text part and header block that carries 8-bit text without a usable charset the
 * likely one, so mailparser decodes it instead of replacing its characters. Mail that is already
 * fine comes back as the same buffer.
 */
export function repairMime(raw: Buffer): { raw: Buffer; problems: string[] } {
  // the common case, checked natively: UTF-8 (or ASCII) throughout and no bare parameter line
  if (isValidUtf8(raw) && !hasBareParameterLine(raw)) return { raw, problems: [] };
  const problems: string[] = [];
  const latin = raw.toString('latin1');
  let guess: GuessedCharset | undefined;
  const messageGuess = () => (guess ??= detectCharset(raw));
  // charsets the message declares for its text are the best guess for its raw 8-bit headers
  // (a GB2312 mail's attachment names, a KOI8-R mail's subject)
  const declared = [...new Set([...latin.matchAll(/charset\s*=\s*"?([A-Za-z0-9._:-]+)/gi)].map((m) => m[1].toLowerCase()))]
    .filter((c) => isKnownCharset(c) && !ASCII_NAMES.test(c) && !/^utf-?8$/i.test(c));
  const fixed = fixEntity(latin, 0, problems, messageGuess, declared);
  if (fixed === latin) return { raw, problems: [] };
  return { raw: Buffer.from(fixed, 'latin1'), problems: [...new Set(problems)] };
}

function fixEntity(entity: string, depth: number, problems: string[], messageGuess: () => GuessedCharset, declared: string[]): string {
  const split = /\r?\n\r?\n/.exec(entity);
  let head = split ? entity.slice(0, split.index) : entity;
  const sep = split ? split[0] : '';
  let body = split ? entity.slice(split.index + sep.length) : '';
  if (depth > 0 && /\r?\n[^ \t:\r\n][^:\r\n]*(?=\r?\n|$)/.test(head)) {
    head = head.replace(/(\r?\n)([^ \t:\r\n][^:\r\n]*)(?=\r?\n|$)/g, '$1\t$2');
    problems.push('a part header line without a name was read as part of the line above');
  }

  if (has8bit(head) && !isValidUtf8(Buffer.from(head, 'latin1'))) {
    const bytes = Buffer.from(head, 'latin1');
    const cs = declared.find((c) => !iconv.decode(bytes, c).includes('\uFFFD')) ?? (messageGuess() === 'utf-8' ? 'windows-1252' : messageGuess());
    head = Buffer.from(iconv.decode(bytes, cs), 'utf8').toString('latin1');
    problems.push(`header with 8-bit characters and no charset, read as ${cs}`);
  }
  const h = parseHeader(head);
  const cte = (/^content-transfer-encoding:[ \t]*([^\s;]+)/im.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1] ?? '').toLowerCase();

  if (h.contentType.startsWith('multipart/') && h.params.boundary && depth < 20) {
    const delim = `--${h.params.boundary}`;
    const lines = body.split(/(?<=\n)/);
    let current: string[] = [];
    const out: string[] = [];
    let inPart = false;
    for (const line of lines) {
      const bare = line.replace(/\r?\n$/, '').trimEnd();
      if (bare === delim || bare === `${delim}--`) {
        if (inPart) {
          // the line break before a delimiter belongs to the delimiter
          const part = current.join('');
          const m = /\r?\n$/.exec(part);
          out.push(fixEntity(m ? part.slice(0, m.index) : part, depth + 1, problems, messageGuess, declared) + (m ? m[0] : ''));
        } else out.push(current.join(''));
        out.push(line);
        current = [];
        inPart = bare === delim;
        continue;
      }
      current.push(line);
    }
    out.push(current.join(''));
    return head + sep + out.join('');
  }

  const isText = h.contentType === '' || h.contentType.startsWith('text/');
  if (!isText || !split) return head + sep + body;
  const partCharset = h.params.charset?.trim() ?? '';
  const usable = partCharset && isKnownCharset(partCharset) && !ASCII_NAMES.test(partCharset) && !/^utf-?8$/i.test(partCharset);
  if (usable) return head + sep + body;
  const decoded = transferDecode(body, cte);
  if (!decoded.some((b) => b >= 0x80 || b === 0x1b)) return head + sep + body;
  if (/^utf-?8$/i.test(partCharset) && isValidUtf8(decoded)) return head + sep + body;
  if (!partCharset && isValidUtf8(decoded)) return head + sep + body; // mailparser reads undeclared as UTF-8
  const cs = cte === 'base64' || cte === 'quoted-printable' ? detectCharset(decoded) : messageGuess() === 'utf-8' ? detectCharset(decoded) : messageGuess();
  const chosen = cs === 'utf-8' ? 'windows-1252' : cs;
  head = setCharset(head, chosen);
  problems.push(
    partCharset
      ? `text declared as charset "${partCharset}" does not decode as such, read as ${chosen}`
      : `text without a charset, read as ${chosen}`,
  );
  return head + sep + body;
}
