// Mends what mailparser cannot read, before it reads it, and reports each repair as a parse
// problem. The charset fallback that never fails a message: 8-bit text without a charset (or with
// a wrong or unknown one) gets the most likely charset; a body labelled with a legacy charset that
// is really UTF-8 is read as UTF-8; text and encoded words in a charset mailparser lacks (UTF-7,
// ISO-2022-KR/CN, HZ…) are turned into UTF-8 here (charsets.ts). And a header line that lost its
// folding indent (a bare "boundary=…" line) is joined to the header above it, so the part's
// content is not lost.
import iconv from 'iconv-lite';
import {
  decodesCleanly, decodeText, guessCjk, isAsciiLabel, isMislabelledUtf8, isMultibyteLabel, isUtf8Label, isValidUtf8, knowsCharset,
  parserKnowsCharset,
} from './charsets.ts';
import { splitEntity, transferDecode } from './mime-entity.ts';

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

export type GuessedCharset = 'utf-8' | 'iso-2022-jp' | 'iso-2022-kr' | 'iso-2022-cn' | NonNullable<ReturnType<typeof guessCjk>> | (typeof CYRILLIC)[number] | 'windows-1252';

/** The most likely charset of text bytes that came without a usable declaration. */
export function detectCharset(bytes: Buffer): GuessedCharset {
  // ESC $ B / ESC $ @ / ESC ( J: 7-bit Japanese; ESC $ ) C Korean; ESC $ ) A / G Chinese
  const latin = bytes.subarray(0, 1024 * 1024).toString('latin1');
  if (/\x1b\$[B@]|\x1b\(J/.test(latin)) return 'iso-2022-jp';
  if (/\x1b\$\)C/.test(latin)) return 'iso-2022-kr';
  if (/\x1b\$\)[AGE]/.test(latin)) return 'iso-2022-cn';
  if (isValidUtf8(bytes)) return 'utf-8';
  const cjk = guessCjk(bytes.subarray(0, 64 * 1024));
  if (cjk) return cjk;
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

/** Whether mailparser can decode a declared charset itself (iconv-lite, or libmime's Japanese decoders). */
export function isKnownCharset(name: string): boolean {
  return parserKnowsCharset(name);
}

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

/** Charset labels the mail names: charset= parameters, encoded words and RFC 2231 values. */
function labelsIn(latin: string): string[] {
  const found = new Set<string>();
  for (const m of latin.matchAll(/charset\s*=\s*"?([A-Za-z0-9._:+-]+)/gi)) found.add(m[1].toLowerCase());
  for (const m of latin.matchAll(/=\?([^?\s*]+)(\*[^?]*)?\?[bq]\?/gi)) found.add(m[1].toLowerCase());
  for (const m of latin.matchAll(/\*=\s*"?([A-Za-z0-9._:+-]+)'/g)) found.add(m[1].toLowerCase());
  return [...found];
}

/**
 * Gives every text part and header block that carries 8-bit text without a usable charset the
 * likely one, so mailparser decodes it instead of replacing its characters; turns text in a
 * charset mailparser lacks into UTF-8. Mail that is already fine comes back as the same buffer.
 */
export function repairMime(raw: Buffer): { raw: Buffer; problems: string[] } {
  const latin = raw.toString('latin1');
  const labels = labelsIn(latin);
  // the common case, checked natively: UTF-8 (or ASCII) throughout, labelled so, and no bare parameter line
  if (isValidUtf8(raw) && labels.every((l) => isUtf8Label(l) || isAsciiLabel(l)) && !hasBareParameterLine(raw)) return { raw, problems: [] };
  const problems: string[] = [];
  let guess: GuessedCharset | undefined;
  const messageGuess = () => (guess ??= detectCharset(raw));
  // charsets the message declares for its text are the best guess for its raw 8-bit headers
  // (a GB2312 mail's attachment names, a KOI8-R mail's subject); multi-byte ones first, as a
  // single-byte charset reads any bytes
  const declared = labels
    .filter((c) => knowsCharset(c) && !isAsciiLabel(c) && !isUtf8Label(c))
    .sort((a, b) => Number(isMultibyteLabel(b)) - Number(isMultibyteLabel(a)));
  const fixed = fixEntity(latin, 0, problems, messageGuess, declared);
  if (fixed === latin) return { raw, problems: [] };
  return { raw: Buffer.from(fixed, 'latin1'), problems: [...new Set(problems)] };
}

const EIGHT_BIT_FORMS: [RegExp, string[]][] = [[/2022-?jp/, ['shift_jis', 'euc-jp']], [/2022-?kr/, ['cp949']], [/2022-?cn|hz/, ['gbk']]];

/** The charset of raw 8-bit header text: a charset the message declares that fits, else a guess. */
function headerCharset(bytes: Buffer, declared: string[], messageGuess: () => GuessedCharset): string {
  // a 7-bit charset's 8-bit siblings: a mail in ISO-2022-JP has its raw names in Shift_JIS or EUC-JP
  const multi = declared.filter(isMultibyteLabel).flatMap((c) => EIGHT_BIT_FORMS.find(([re]) => re.test(c))?.[1] ?? [c]);
  return (
    multi.find((c) => decodesCleanly(bytes, c)) ??
    guessCjk(bytes) ??
    declared.find((c) => !isMultibyteLabel(c) && decodesCleanly(bytes, c)) ??
    (messageGuess() === 'utf-8' || isMultibyteLabel(messageGuess()) || /2022/.test(messageGuess()) ? detectCharset(bytes) : messageGuess())
  ).replace(/^utf-8$/, 'windows-1252');
}

/** UTF-8 text as latin1 "bytes", the form this file edits mail in. */
function utf8Latin(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * Encoded words (RFC 2047) and RFC 2231 values in a charset mailparser lacks, rewritten as UTF-8
 * ones; a label nobody knows is read as UTF-8 when it is, else guessed.
 */
function rewriteForeignWords(head: string): string {
  const decode = (bytes: Buffer, cs: string) => decodeText(bytes, cs) ?? (isValidUtf8(bytes) ? bytes.toString('utf8') : decodeText(bytes, detectCharset(bytes)) ?? bytes.toString('latin1'));
  let out = head.replace(/=\?([^?\s*]+)(\*[^?]*)?\?([bBqQ])\?([^?\s]*)\?=/g, (word, cs: string, _lang, enc: string, data: string) => {
    if (parserKnowsCharset(cs) || isUtf8Label(cs)) return word;
    const bytes = enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64') : transferDecode(data.replace(/_/g, ' '), 'quoted-printable');
    return `=?UTF-8?B?${Buffer.from(decode(bytes, cs), 'utf8').toString('base64')}?=`;
  });
  out = out.replace(/(\*=\s*"?)([A-Za-z0-9._:+-]+)'([^']*)'([^";\s]*)/g, (all, pre: string, cs: string, lang: string, value: string) => {
    if (parserKnowsCharset(cs) || isUtf8Label(cs)) return all;
    const bytes = Buffer.from(value.replace(/%([0-9a-f]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return `${pre}utf-8'${lang}'${encodeURIComponent(decode(bytes, cs))}`;
  });
  return out;
}

/** A text part's body turned into UTF-8 (base64), its header saying so. */
function asUtf8(head: string, sep: string, text: string): string {
  const eol = head.includes('\r\n') || sep.startsWith('\r') ? '\r\n' : '\n';
  let h = setCharset(head, 'utf-8');
  h = /^content-transfer-encoding:/im.test(h)
    ? h.replace(/^content-transfer-encoding:[^\r\n]*(\r?\n[ \t][^\r\n]*)*/im, 'Content-Transfer-Encoding: base64')
    : `${h}${eol}Content-Transfer-Encoding: base64`;
  const b64 = Buffer.from(text, 'utf8').toString('base64').replace(/.{76}(?=.)/g, `$&${eol}`);
  return `${h}${sep}${b64}${eol}`;
}

function fixEntity(entity: string, depth: number, problems: string[], messageGuess: () => GuessedCharset, declared: string[]): string {
  const split = splitEntity(entity);
  const { sep, body } = split;
  let { head } = split;
  if (depth > 0 && /\r?\n[^ \t:\r\n][^:\r\n]*(?=\r?\n|$)/.test(head)) {
    head = head.replace(/(\r?\n)([^ \t:\r\n][^:\r\n]*)(?=\r?\n|$)/g, '$1\t$2');
    problems.push('a part header line without a name was read as part of the line above');
  }

  if (has8bit(head) && !isValidUtf8(Buffer.from(head, 'latin1'))) {
    const bytes = Buffer.from(head, 'latin1');
    const cs = headerCharset(bytes, declared, messageGuess);
    head = utf8Latin(decodeText(bytes, cs) ?? iconv.decode(bytes, 'windows-1252'));
    problems.push(`header with 8-bit characters and no charset, read as ${cs}`);
  }
  if (/=\?|\*=/.test(head)) head = rewriteForeignWords(head);
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
  if (!isText || !split.whole) return head + sep + body;
  const label = h.params.charset?.trim() ?? '';
  const decoded = transferDecode(body, cte);
  if (label && !parserKnowsCharset(label) && knowsCharset(label)) {
    // UTF-7, ISO-2022-KR/CN, HZ: decoded here, as UTF-8 for the parser
    const text = isMultibyteLabel(label) && isMislabelledUtf8(decoded, label) ? decoded.toString('utf8') : decodeText(decoded, label);
    if (text !== null) return asUtf8(head, sep, text);
  }
  if (!decoded.some((b) => b >= 0x80 || b === 0x1b)) return head + sep + body;
  if (isUtf8Label(label) && isValidUtf8(decoded)) return head + sep + body;
  if (label && !isUtf8Label(label) && !isAsciiLabel(label) && parserKnowsCharset(label)) {
    if (!isMislabelledUtf8(decoded, label)) return head + sep + body;
    problems.push(`text declared as charset "${label}" is UTF-8, read as utf-8`);
    return setCharset(head, 'utf-8') + sep + body;
  }
  if (!label && isValidUtf8(decoded)) return head + sep + body; // mailparser reads undeclared as UTF-8
  const guessed = isValidUtf8(decoded) ? 'utf-8' : cte === 'base64' || cte === 'quoted-printable' ? detectCharset(decoded) : messageGuess() === 'utf-8' ? detectCharset(decoded) : messageGuess();
  // bytes that are not UTF-8 but were guessed so (an invalid "utf-8" part): the Western default
  const chosen = guessed === 'utf-8' && !isValidUtf8(decoded) ? 'windows-1252' : guessed;
  problems.push(
    label
      ? `text declared as charset "${label}" does not decode as such, read as ${chosen}`
      : `text without a charset, read as ${chosen}`,
  );
  if (!parserKnowsCharset(chosen) && !isUtf8Label(chosen)) return asUtf8(head, sep, decodeText(decoded, chosen) ?? decoded.toString('latin1'));
  return setCharset(head, chosen) + sep + body;
}
