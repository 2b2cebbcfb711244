// The words search indexes and looks for, the same for a text and for a query: cut where SQLite's
// unicode61 tokenizer cuts (a word is a run of letters, digits and combining marks; everything
// else separates), case folded, `ё` folded to `е`, Latin diacritics removed (café → cafe), then
// reduced to their stem by the Snowball stemmers (a well-kept port of the reference algorithms):
// Russian for a word in Cyrillic, English for one in Latin letters. A word with a digit in it (an
// error code, an asset tag, `ws-1042`'s parts) or in another script stays as it is. So `принтера`,
// `принтеры` and `принтер` are one word, `папка` and `папке`, `printers` and `printer`, and `ежик`
// finds `Ёжик`.
import { newStemmer } from 'snowball-stemmers';

type Stemmer = { stem(word: string): string };

const russian: Stemmer = newStemmer('russian');
const english: Stemmer = newStemmer('english');

// a run of letters, digits and combining marks (unicode61's token characters)
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const CYRILLIC = /^[\u0400-\u04ff]+$/;
const LATIN = /^[a-z]+$/;

// letters PostgreSQL's unaccent writes out in Latin letters (its rules), which lose no mark to NFD
const LIGATURES: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i', þ: 'th', ð: 'd' };

/** A word as search compares it before stemming: lower case, `ё` as `е`, no diacritics outside Cyrillic. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase().replace(/ё/g, 'е');
  if (/^[\u0000-\u007f\u0400-\u045f]*$/.test(lower)) return lower; // ASCII and plain Cyrillic: nothing to fold
  // marks go, except on Cyrillic letters: й is a letter of its own in Russian, not и with a mark
  return lower
    .normalize('NFD')
    .replace(/([^\u0400-\u04ff])\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/ё/g, 'е')
    .replace(/[ßæœøłđıþð]/g, (c) => LIGATURES[c]);
}

// Stemming costs 5–10 µs a word; a desk's texts use a few hundred thousand different words, most of
// them again and again, so the stems are remembered (and forgotten all at once past a bound).
const STEMS_KEPT = 200_000;
const stems = new Map<string, string>();

/** The longest word stemmed, in characters. */
export const LONGEST_STEMMED = 64;

/** The stem of a folded word (see foldWord). */
export function stemWord(folded: string): string {
  // no language has words this long: a run of letters in a mail (a key, an encoded blob) is left as it is,
  // since the stemmers take time that grows faster than its length (64 KB: 0.4 s) and remembering it costs memory
  if (folded.length > LONGEST_STEMMED) return folded;
  const known = stems.get(folded);
  if (known !== undefined) return known;
  const stem = CYRILLIC.test(folded) ? russian.stem(folded) : LATIN.test(folded) ? english.stem(folded) : folded;
  if (stems.size >= STEMS_KEPT) stems.clear();
  stems.set(folded, stem);
  return stem;
}

/** One word of a text, where it is, and what search makes of it: folded, and its stem. */
export type TextWord = { start: number; end: number; folded: string; stem: string };

// A word as written, folded and stemmed: ranking reads every word of hundreds of texts per search,
// and looking a written word up costs less than folding it again (forgotten all at once past a bound)
const WORDS_KEPT = 200_000;
const written = new Map<string, readonly [folded: string, stem: string]>();

function known(word: string): readonly [string, string] {
  if (word.length > LONGEST_STEMMED) {
    const folded = foldWord(word);
    return [folded, folded];
  }
  let w = written.get(word);
  if (!w) {
    const folded = foldWord(word);
    w = [folded, stemWord(folded)];
    if (written.size >= WORDS_KEPT) written.clear();
    written.set(word, w);
  }
  return w;
}

/** The words of a text from `from` on, one by one (a snippet stops at the first word it looks for). */
export function* eachWord(text: string, from = 0): Generator<TextWord> {
  const re = new RegExp(WORD.source, WORD.flags);
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [folded, stem] = known(m[0]);
    yield { start: m.index, end: m.index + m[0].length, folded, stem };
  }
}

/** Every word of a text (in NFC, as the desk stores text) with its place, for marking the words found in it. */
export function textWords(text: string): TextWord[] {
  const out: TextWord[] = [];
  for (const m of text.matchAll(WORD)) {
    const [folded, stem] = known(m[0]);
    out.push({ start: m.index, end: m.index + m[0].length, folded, stem });
  }
  return out;
}

/** A text as its folded words (not stemmed) separated by spaces: what prefixes are looked up in. */
export function foldedText(text: string): string {
  let out = '';
  for (const m of text.normalize('NFC').matchAll(WORD)) {
    if (out) out += ' ';
    out += foldWord(m[0]);
  }
  return out;
}

/** A text as the stems of its words separated by spaces: what the full-text index holds. */
export function stemmedText(text: string): string {
  let out = '';
  for (const m of text.normalize('NFC').matchAll(WORD)) {
    if (out) out += ' ';
    out += stemWord(foldWord(m[0]));
  }
  return out;
}
