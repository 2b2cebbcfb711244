// Finds the new content of a mail reply: the text above the quoted history ("On … wrote:",
// Outlook's "From: / Sent:" block, "-----Original Message-----", Russian "От:" and
// "-----Исходное сообщение-----", Yandex/Mail.ru "<date>, <name> <address>:", "> " lines) and
// without the signature. email-reply-parser covers the quote headers of more languages; our rules
// come first because they know the Russian and Outlook forms and never cut a forwarded message.
import EmailReplyParser from 'email-reply-parser';

const ORIGINAL_MESSAGE =
  /^\s*[-_=*]{2,}\s*(original message|original e-?mail|исходное (сообщение|письмо)|оригинальное сообщение|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|wiadomość oryginalna|původní zpráva|alkuperäinen viesti|opprinnelig melding|oprindelig meddelelse|originalmeddelande|mensagem original|eredeti üzenet|orijinal mesaj|оригінальне повідомлення|vastaus)\s*[-_=*]{2,}\s*$/i;
const FORWARDED =
  /^\s*(-{2,}\s*(forwarded message|пересылаемое сообщение|пересланное сообщение|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|переслане повідомлення)\s*-{2,}|begin forwarded message:|начало переадресованного сообщения:|-{5,} ?(пересылаемое|forwarded) .*)\s*$/i;

// first line of an Outlook/Exchange header block and the lines that must follow it
const FROM_LINE = /^\s*[*>]*\s*\*?(from|message du|от|von|de|van|da|fra|från|od|lähettäjä|kimden|feladó|від|発信者|发件人|寄件者)\s*\*?\s*[:：]/i;
const HEADER_LINE =
  /^\s*[*>]*\s*\*?(sent|date|to|cc|subject|отправлено|дата|кому|копия|тема|gesendet|datum|an|betreff|envoyé|date d'envoi|à|objet|enviado|fecha|para|asunto|inviato|data|oggetto|a|verzonden|aan|onderwerp|sendt|til|emne|skickat|till|ämne|wysłano|do|temat|odesláno|komu|předmět|lähetetty|vastaanottaja|aihe|tarih|kime|konu|надіслано|тема|送信日時|宛先|件名|发送时间|收件人|主题)\s*\*?\s*[:：]/i;

// "On <date>, <name> wrote:" in the languages our requesters write in, on up to three lines
const WROTE =
  /(wrote|writes|написал|написала|написал\(а\)|пишет|писал|писала|пише|schrieb|a écrit|escribió|ha scritto|schreef|geschreven|skrev|napisał|napisała|kirjoitti|escreveu|đã viết|yazdı|írta|napsal|написав|написала|寫道|写道|のメッセージ)\s*[:：]?\s*$/i;
const ADDRESS_COLON = /(<[^<>\s@]+@[^<>\s]+>|\b[^\s<>()@]+@[^\s<>()]+\.[a-z]{2,}\)?|\]\s*)\s*[:：]\s*$/i;
const DATEISH = /\d{1,4}[./:-]\d{1,2}|\d{4}|\b\d{1,2}:\d{2}\b|(mon|tue|wed|thu|fri|sat|sun|пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)/i;

const MOBILE_SIGNATURE =
  /^\s*(sent from (my )?[\w .-]{2,40}|sent via [\w .-]{2,40}|sent with [\w .-]{2,40}|get outlook for \w+|sendt fra min [\w .-]{2,30}|отправлено (с|из|через) .{2,60}|отправлено с моего .{2,40}|von meinem [\w .-]{2,30} gesendet|gesendet (von|mit) [\w .äöü-]{2,40}|envoyé de mon [\w .-]{2,30}|enviado desde mi [\w .-]{2,30}|inviato da(l mio)? [\w .-]{2,30}|verzonden (vanaf|met) (mijn )?[\w .-]{2,30}|skickat från min [\w .-]{2,30}|wysłane z (mojego )?[\w .-]{2,30})\s*(<[^>\s]*>)?\s*$/i;

export type TrimResult = { reply: string; trimmed: boolean };

const EMAIL = /[^\s<>()"'\[\]@]+@[^\s<>()"'\[\]]+\.[a-z]{2,}/i;
const HEADER_START = /^(on|le|am|el|il|op|em|w dniu|dne|den|på|vào)\b/i;
const DATE_START = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b/;

/** The lines i..i+span-1 as one line, with addresses broken over lines ("<\nbob@x>") mended. */
function joined(lines: string[], i: number, span: number): string {
  return lines.slice(i, i + span).join(' ').replace(/\s+/g, ' ').replace(/<\s+/g, '<').replace(/\s+>/g, '>').trim();
}

function isQuoteHeaderAt(lines: string[], i: number): number {
  // returns how many lines the header spans (0: not a header)
  const line = lines[i];
  if (ORIGINAL_MESSAGE.test(line)) return 1;
  if (/^\s*_{10,}\s*$/.test(line) && i + 1 < lines.length && FROM_LINE.test(lines[i + 1])) return 1;
  if (FROM_LINE.test(line) || /^\s*\*?(date|дата)\s*\*?\s*:/i.test(line)) {
    let headerish = 0;
    for (let j = i + 1; j < Math.min(lines.length, i + 7); j++) {
      if (HEADER_LINE.test(lines[j]) || FROM_LINE.test(lines[j])) headerish++;
      else if (lines[j].trim() === '' && headerish > 0) break;
    }
    if (headerish >= 1) return 1;
  }
  // "reply text--- On <date>, <address> wrote:" sharing a line with the answer
  if (/(^|\s|-{2,})on\s.{4,200}\s(wrote|writes):\s*$/i.test(line) && EMAIL.test(line) && /-{2,}\s*on\s/i.test(line)) return 1;
  const first = line.trim().replace(/^[-\s>]*/, '');
  // a header spanning lines starts like one: a date, "On", an address or a name with an address
  const startsLikeHeader = HEADER_START.test(first) || DATE_START.test(first) || DATEISH.test(first) || EMAIL.test(first) || /[<"]/.test(first);
  for (let span = 1; span <= 4 && i + span <= lines.length; span++) {
    if (span > 1 && !startsLikeHeader) break;
    const text = joined(lines, i, span);
    if (text.length > 400) break;
    const stripped = text.replace(/^[-\s>]*/, '').replace(/-+$/, '').trim();
    if (HEADER_START.test(stripped) && WROTE.test(stripped)) return span;
    if (WROTE.test(stripped) && (DATEISH.test(stripped) || EMAIL.test(stripped)) && stripped.length < 300) return span;
    if (ADDRESS_COLON.test(stripped) && DATEISH.test(stripped) && stripped.length < 300 && !FROM_LINE.test(stripped)) return span;
    // "<name> <address> schrieb am <date> um 11:53 Uhr:" and other "<address> … <date>:" forms
    if (EMAIL.test(stripped) && DATEISH.test(stripped) && /[:：]\s*$/.test(stripped) && stripped.length < 300 && !FROM_LINE.test(stripped) && !HEADER_LINE.test(stripped)) return span;
    // Gmail's "2016-03-03 17:21 GMT+01:00 Some One" and "2013/7/20 Name <address>"
    if (span === 1 && DATE_START.test(stripped) && (/\bGMT[+-]\d{1,2}:?\d{2}\b/.test(stripped) || EMAIL.test(stripped)) && stripped.length < 200) return 1;
    // "---- John Smith wrote ----" (Android)
    if (/^-{2,}\s*.{1,80}\s(wrote|написал\(а\)|написал|пишет)\s*-{2,}$/i.test(text)) return span;
    // the header ends at a line ending with ":" or "wrote"; do not join past a blank line
    if (i + span < lines.length && lines[i + span - 1].trim() === '') break;
  }
  // "On <date> <name>" whose "wrote:" comes a few lines later, after a mangled address (Polymail)
  if (HEADER_START.test(first) && DATEISH.test(first) && /\d{1,2}:\d{2}/.test(first)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 7); j++) {
      if (/(wrote|writes|schrieb|a écrit|написал|пишет)\s*:\s*$/i.test(lines[j])) return j - i + 1;
      if (/^\s*>/.test(lines[j]) && !/wrote/i.test(lines[j])) break;
    }
  }
  return 0;
}

/**
 * Index of the first line of the quoted history; -1 when there is none, KEEP when the text must
 * stay whole (a forwarded message, answers interleaved with quotes).
 */
const KEEP = -2;
// a line that can take part in a quote header or marker; the others are skipped quickly
const HOT = /[:：>]|-{2,}|_{5,}|wrote|writes|schrieb|écrit|пиш|написал|skrev|schreef|escribió|scritto|napisa|kirjoitti|escreveu|viết|yazdı|írta|napsal|寫道|写道|メッセージ|sent |sendt |отправлено|gesendet|envoyé|enviado|inviato|verzonden|skickat|wysłane|get outlook/i;

function findQuoteStart(lines: string[]): number {
  const hot = lines.map((l) => HOT.test(l));
  for (let i = 0; i < lines.length; i++) {
    if (!hot[i] && !hot[i + 1] && !hot[i + 2] && !hot[i + 3]) continue;
    if (FORWARDED.test(lines[i])) return KEEP;
    // "Sent from my iPhone" ends what the sender wrote; what follows is the quoted mail
    if (i > 0 && MOBILE_SIGNATURE.test(lines[i]) && lines.slice(i + 1).some((l) => l.trim() !== '')) return i;
    if (isQuoteHeaderAt(lines, i)) return i;
    if (/^\s*>/.test(lines[i])) {
      // a trailing block of "> " lines; interleaved answers below it keep everything
      const rest = lines.slice(i);
      const unquotedAfter = rest.filter((l) => !/^\s*>/.test(l) && l.trim() !== '');
      if (unquotedAfter.length === 0 || unquotedAfter.every((l) => MOBILE_SIGNATURE.test(l) || /^--\s*$/.test(l))) return i;
      return KEEP;
    }
  }
  return -1;
}

/** A short sign-off below the quote ("Regards, Roman") belongs to the answer. */
function signOffAfterQuote(lines: string[], from: number): string[] {
  let k = from;
  while (k < lines.length && lines[k].trim() === '') k++;
  // only a "> " quote has a clear end; text after an unmarked quote is still the quote
  if (!/^\s*>/.test(lines[k] ?? '')) return [];
  while (k < lines.length && (/^\s*>/.test(lines[k]) || lines[k].trim() === '')) k++;
  const after = lines.slice(k);
  const text = after.filter((l) => l.trim() !== '');
  if (text.length === 0 || text.length > 3 || k === from) return [];
  if (text.some((l) => /^\s*>/.test(l) || l.length > 80)) return [];
  for (let j = 0; j < after.length; j++) if (isQuoteHeaderAt(after, j)) return [];
  return after;
}

function stripSignature(lines: string[]): string[] {
  let end = lines.length;
  // "-- " (RFC 3676), a line of underscores (list footers) start a signature
  for (let i = 1; i < end; i++) {
    if (/^--\s?$/.test(lines[i]) || /^_{2,}\s*$/.test(lines[i])) {
      end = i;
      break;
    }
  }
  // "-Abhishek Kona": a dash and a name on one of the last lines
  const last = lines.slice(0, end).map((l, i) => ({ l, i })).filter((x) => x.l.trim() !== '').slice(-2);
  const dashName = last.find((x) => x.i > 0 && /^-[\p{L}][\p{L} .'-]{1,38}$/u.test(x.l.trim()));
  if (dashName) end = dashName.i;
  // at the end: mobile "Sent from my iPhone" lines, separators, tracking marks (ᐧ)
  for (;;) {
    let j = end - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    if (j > 0 && (MOBILE_SIGNATURE.test(lines[j]) || /^\s*([-_=*]{5,}|[\u1427\u200b\s]+)\s*$/.test(lines[j]))) end = j;
    else break;
  }
  return lines.slice(0, end);
}

function tidy(lines: string[]): string {
  return lines.join('\n').replace(/[ \t\u00a0]+$/gm, '').replace(/^\s*\n/, '').trimEnd();
}

export function trimReply(text: string): TrimResult {
  const normalized = text.replace(/\r\n?/g, '\n');
  const original = normalized.trim();
  if (!original) return { reply: '', trimmed: false };
  const lines = normalized.split('\n');
  const start = findQuoteStart(lines);
  let body: string[];
  if (start === 0) {
    // quote first, answer below it (bottom posting)
    let k = isQuoteHeaderAt(lines, 0);
    while (k < lines.length && (/^\s*>/.test(lines[k]) || lines[k].trim() === '')) k++;
    body = lines.slice(k);
  } else if (start > 0) {
    body = lines.slice(0, start);
    const header = isQuoteHeaderAt(lines, start);
    const signOff = signOffAfterQuote(lines, start + header);
    if (signOff.length) body = [...tidy(body).split('\n'), '', ...tidy(signOff).split('\n')];
  } else if (start === KEEP) {
    body = lines;
  } else {
    const viaLibrary = quoteStartFromLibrary(normalized);
    body = viaLibrary !== null ? viaLibrary.split('\n') : lines;
  }
  const reply = tidy(stripSignature(body));
  if (!reply) return { reply: original, trimmed: false };
  return { reply, trimmed: reply !== original };
}

/** email-reply-parser's cut, used only when it found a quoted part that our rules did not. */
function quoteStartFromLibrary(text: string): string | null {
  if (text.length > 200_000) return null; // its regexes are slow on huge quotes
  // every quote header it knows ends a line with ":" (or the quote is "> " lines): skip the rest
  if (!/[:：]\s*$|^\s*>/m.test(text)) return null;
  try {
    const email = new EmailReplyParser().read(text);
    const fragments = email.getFragments();
    const firstQuoted = fragments.findIndex((f) => f.isQuoted());
    if (firstQuoted <= 0) return null;
    const before = fragments.slice(0, firstQuoted).map((f) => f.getContent()).join('\n').trim();
    return before || null;
  } catch {
    return null;
  }
}
