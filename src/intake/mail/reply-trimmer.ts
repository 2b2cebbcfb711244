// Finds the new content of a mail reply: the text above the quoted history ("On … wrote:" and its
// translations, Outlook's "From: / Sent:" block, "-----Original Message-----", other help desks'
// "reply above this line" markers, "> " lines) and without the machine-added signature. The
// language tables live in quote-headers.ts and signature-lines.ts. Rules, in order:
// - a forward at the top: its header goes, its text is the content; with a note above, all stays;
// - a header at the top followed by text (no quote): the header goes, the rest is trimmed again;
// - a quote with answers between quoted parts (inline replies): everything stays but the header
//   and the trailing quote; a short sign-off below a quote is kept with the answer;
// - a mail that is nothing but quotes has no new content ("").
// email-reply-parser is asked only when none of our rules found a quote.
import EmailReplyParser from 'email-reply-parser';
import { headerBlockAt, inlineHeaderStart, isForwardLine, isHeaderField, isMarkerLine, isOriginalMessageLine, wroteHeaderAt } from './quote-headers.ts';
import { isMobileSignature, isRule, stripSignature } from './signature-lines.ts';

export type TrimResult = { reply: string; trimmed: boolean };

/** "> " and Supercite-style "AB> " quote lines. */
const QUOTE = /^\s*(>|[A-Za-z]{1,3}>(\s|$))/;
const isQuote = (l: string) => QUOTE.test(l);
const blank = (l: string | undefined) => (l ?? '').trim() === '';
/** A short closing below a quote: "Regards, Roman", "Thanks,\nAnna". */
const CLOSING =
  /^\s*(thanks|thank you|thx|cheers|regards|best|kind regards|best regards|warm regards|sincerely|yours|greetings|bye|ciao|merci|cordialement|bien à vous|danke|gruß|grüße|viele grüße|mit freundlichen grüßen|lg|vg|mfg|saludos|gracias|un saludo|atentamente|grazie|saluti|cordiali saluti|obrigad[oa]|abraços|atenciosamente|groeten|met vriendelijke groet|bedankt|mvh|med vennlig hilsen|hilsen|tack|hälsningar|kiitos|terveisin|pozdrawiam|dziękuję|díky|děkuji|s pozdravem|teşekkürler|saygılarımla|спасибо|с уважением|благодарю|дякую|з повагою|谢谢|ありがとう|감사합니다)\b/iu;

type Cut =
  | { kind: 'none' }
  | { kind: 'keep' } // a forwarded mail with a note above it
  | { kind: 'hard'; at: number; span: number } // everything from here down is history
  | { kind: 'header'; at: number; span: number } // "On … wrote:"
  | { kind: 'quote'; at: number }; // "> " lines without a header

function findCut(lines: string[]): Cut {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (blank(line)) continue;
    if (isQuote(line)) return { kind: 'quote', at: i };
    if (isForwardLine(line)) return i === firstText(lines) ? { kind: 'hard', at: i, span: 1 } : { kind: 'keep' };
    if (isOriginalMessageLine(line) || isMarkerLine(line)) return { kind: 'hard', at: i, span: 1 };
    // "Sent from my iPhone" ends what the sender wrote; what follows is the quoted mail
    if (i > 0 && isMobileSignature(line) && lines.slice(i + 1).some((l) => !blank(l))) return { kind: 'hard', at: i, span: 1 };
    // a rule of underscores or dashes directly above an Outlook block
    if (isRule(line)) {
      let j = i + 1;
      while (j < lines.length && blank(lines[j])) j++;
      if (j < lines.length && j - i <= 3 && headerBlockAt(lines, j)) return { kind: 'hard', at: i, span: j - i + headerBlockAt(lines, j) };
      continue;
    }
    const block = isHeaderField(line) ? headerBlockAt(lines, i) : 0;
    if (block) return { kind: 'hard', at: i, span: block };
    const span = wroteHeaderAt(lines, i);
    if (span) return { kind: 'header', at: i, span };
  }
  return { kind: 'none' };
}

function firstText(lines: string[]): number {
  return lines.findIndex((l) => !blank(l));
}

/**
 * End (exclusive) of the quote block at i: "> " lines, blank lines between them and an unquoted
 * line wedged between two quote lines (a long quoted line or link the sender's client wrapped).
 */
function quoteEnd(lines: string[], i: number): number {
  let k = i;
  for (;;) {
    if (k < lines.length && isQuote(lines[k])) k++;
    else if (k < lines.length && blank(lines[k]) && nextText(lines, k) !== -1 && isQuote(lines[nextText(lines, k)])) k = nextText(lines, k);
    else if (k > i && k + 1 < lines.length && isQuote(lines[k - 1]) && !blank(lines[k]) && isQuote(lines[k + 1])) k++;
    else if (k > i && k + 2 < lines.length && isQuote(lines[k - 1]) && !blank(lines[k]) && !blank(lines[k + 1]) && isQuote(lines[k + 2])) k += 2;
    else return k;
  }
}

function nextText(lines: string[], from: number): number {
  for (let k = from; k < lines.length; k++) if (!blank(lines[k])) return k;
  return -1;
}

/** The text after a quote is only a short closing ("Regards, Roman") or a machine signature. */
function isSignOff(after: string[]): boolean {
  const text = stripSignature(['', ...after]).filter((l) => !blank(l));
  if (text.length === 0) return true;
  if (text.every((l) => isMobileSignature(l) || isRule(l) || /^--\s?$/.test(l))) return true;
  return text.length <= 3 && text.every((l) => l.length <= 60 && !isQuote(l)) && CLOSING.test(text[0]);
}

/** Lines without "> " quotes at the end (and the blank lines, rules and headers among them). */
function dropTrailingQuote(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && (blank(lines[end - 1]) || isQuote(lines[end - 1]) || isRule(lines[end - 1]))) end--;
  return lines.slice(0, end);
}

function tidy(lines: string[]): string {
  return lines.map((l) => l.trimEnd()).join('\n').replace(/^\s*\n/, '').trimEnd();
}

/** "answer On <date>, <name> wrote:" on one line becomes two lines. */
function splitInlineHeaders(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const at = /wrote|écrit|schrieb|escribió|scritto|escreveu|schreef|skrev|napisa/i.test(line) ? inlineHeaderStart(line) : -1;
    if (at > 0) out.push(line.slice(0, at).trimEnd(), line.slice(at));
    else out.push(line);
  }
  return out;
}

/** The new lines of the text, or null when it is all quoted history. */
function newLines(lines: string[], depth = 0): string[] | null {
  const cut = findCut(lines);
  if (cut.kind === 'none' || cut.kind === 'keep' || depth > 4) return cut.kind === 'none' ? libraryCut(lines) : lines;
  const above = lines.slice(0, cut.at);
  const hasAbove = above.some((l) => !blank(l));
  if (cut.kind === 'hard') {
    if (hasAbove) return above;
    // at the top: a forward or a bare header block; the text below it is the content
    const rest = lines.slice(cut.at + cut.span);
    return rest.some((l) => !blank(l)) ? newLines(rest, depth + 1) : null;
  }
  const from = cut.kind === 'header' ? cut.at + cut.span : cut.at;
  const q = nextText(lines, from);
  if (q === -1) return hasAbove ? above : null;
  if (!isQuote(lines[q])) {
    // a header followed by unquoted text: the quoted mail (below an answer) or, at the top, nothing
    return hasAbove ? above : newLines(lines.slice(from), depth + 1);
  }
  const end = quoteEnd(lines, q);
  const after = lines.slice(end);
  const afterText = after.some((l) => !blank(l));
  if (cut.kind === 'quote' && !hasAbove) return afterText ? dropTrailingQuote(stripSignature(lines)) : null;
  if (isSignOff(after)) {
    const signOff = stripSignature(['', ...after]);
    const hasSignOff = signOff.some((l) => !blank(l) && !isRule(l));
    if (!hasAbove) return hasSignOff ? signOff : null;
    if (!hasSignOff) return above;
    // the closing keeps the spacing the answer had above the quote
    const gap = blank(lines[cut.at - 1]) ? [''] : [];
    return [...tidy(above).split('\n'), ...gap, ...tidy(signOff).split('\n')];
  }
  // answers below the quote
  const laterQuote = after.some((l) => isQuote(l));
  if (!hasAbove && cut.kind === 'header' && !laterQuote) return newLines(after, depth + 1) ?? after;
  // answers between quoted parts: everything stays but the header and the last quote
  const kept = cut.kind === 'header' ? [...lines.slice(0, cut.at), ...lines.slice(from)] : lines;
  return dropTrailingQuote(stripSignature(kept));
}

/** Longer lines are never a quote header, marker or signature: the rules see a stand-in for each. */
const MAX_RULE_LINE = 2000;
const STAND_IN = /[ \t>]*\uE000(\d+)\uE001/g;

export function trimReply(text: string): TrimResult {
  const normalized = text.replace(/\r\n?/g, '\n');
  const original = normalized.trim();
  if (!original) return { reply: '', trimmed: false };
  // the line rules cost more than linear on some long lines (a run of spaces, a rule of underscores):
  // a line over MAX_RULE_LINE goes through them as a short stand-in (with its quote marks, so a long
  // quoted line is still a quote) and comes back whole
  const long: string[] = [];
  const standIn = (l: string) => `${/^[ \t>]*/.exec(l)![0]}\uE000${long.push(l.trimEnd()) - 1}\uE001`;
  const probe = normalized.replace(/[\uE000\uE001]/g, '').split('\n').map((l) => (l.length > MAX_RULE_LINE ? standIn(l) : l));
  const back = (s: string) => (long.length ? s.replace(STAND_IN, (_m, i: string) => long[Number(i)]) : s);
  const lines = splitInlineHeaders(probe);
  const body = newLines(lines);
  if (body === null) return { reply: '', trimmed: true };
  const reply = back(tidy(dropTrailingQuote(stripSignature(body))));
  if (!reply) return { reply: original, trimmed: false };
  return { reply, trimmed: reply !== original };
}

/** email-reply-parser's cut, used only when it found a quoted part that our rules did not. */
function libraryCut(lines: string[]): string[] {
  const text = lines.join('\n');
  if (text.length > 200_000) return lines; // its regexes are slow on huge quotes
  // every quote header it knows ends a line with ":" (or the quote is "> " lines): skip the rest
  if (!/[:：]\s*$|^\s*>/m.test(text)) return lines;
  try {
    const fragments = new EmailReplyParser().read(text).getFragments();
    const firstQuoted = fragments.findIndex((f) => f.isQuoted());
    if (firstQuoted <= 0) return lines;
    const before = fragments.slice(0, firstQuoted).map((f) => f.getContent()).join('\n').trim();
    return before ? before.split('\n') : lines;
  } catch {
    return lines;
  }
}
