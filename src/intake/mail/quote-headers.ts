// The lines mail clients and help desks put above a quoted or forwarded mail, in the languages
// our requesters' clients speak: "On <date>, <name> wrote:" and its translations, Outlook's
// "From: / Sent: / To: / Subject:" block, "-----Original Message-----", forward markers and the
// "reply above this line" markers of other help desks and forums.

/** Words that end an "On <date>, <name> wrote:" line. */
const WROTE_WORDS = [
  'wrote', 'writes', 'said', 'says', // en
  'a écrit', 'a ecrit', 'nous a dit', // fr
  'schrieb', 'schrieben sie', 'geschrieben', // de
  'escribió', 'escribio', // es
  'ha scritto', 'scrisse', // it
  'escreveu', // pt
  'schreef', 'het volgende geschreven', 'verzond', // nl
  'skrev', // da, no, sv
  'kirjoitti', // fi
  'napisał\\(a\\)', 'napisała', 'napisał', 'pisze', // pl
  'napsal\\(a\\)', 'napsala', 'napsal', // cs
  'napísal\\(a\\)', 'napísal', // sk
  'írta', // hu
  'yazdı', 'şunu yazdı', // tr
  'написал\\(а\\)', 'написала', 'написал', 'пишет', 'писал', 'писала', // ru
  'написав\\(ла\\)', 'написав', 'написала', 'пише', // uk
  'έγραψε', // el
  'đã viết', // vi
  'a scris', // ro
  'כתב', 'כתבה', // he
  'كتب', // ar
  '写道', '寫道', 'のメッセージ', '작성', '님이 작성', // zh, ja, ko
];
const WROTE = new RegExp(`(${WROTE_WORDS.join('|')})\\s*(\\(.{0,40}\\))?\\s*[:：]?\\s*-*\\s*$`, 'iu');

/** How an "On <date> … wrote:" line starts. */
const ON_WORDS = ['on', 'at', 'in message', 'le', 'am', 'el', 'il', 'il giorno', 'in data', 'em', 'op', 'den', 'på', 'w dniu', 'dnia', 'dne', 'dňa', 'vào', 'στις', 'pe', 'în', 'בתאריך', '在', '于'];
const ON_START = new RegExp(`^(${ON_WORDS.join('|')})(\\s|$)`, 'iu');
/** Text that looks like a date or time: a year, 12:30, 1.2.2021, a weekday. */
const DATEISH =
  /\d{1,4}[./:-]\d{1,2}|\d{4}|\b\d{1,2}:\d{2}\b|\d+\s*(年|月|日|년|월|일)|\b(mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lun|mar|mer|jeu|ven|sam|dim|пн|вт|ср|чт|пт|сб|вс|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)\b/iu;
// starts only where a word starts: scanning a long run of letters from each of its positions is quadratic
const EMAIL = /(?<![^\s<>()"'[\]@])[^\s<>()"'[\]@]+@[^\s<>()"'[\]@]+\.[a-z]{2,}/i;
const DATE_START = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}\s*年|\d{4}\s*년|\d{4}\.\s*\d{1,2}\.)/;
/** "Quoting Bob <bob@example.com>:" (Horde and other webmails). */
const QUOTING = /^(quoting|zitat von|citation de|citando|citeren|cytuję|cytat|цитата|idézet)\s.{1,150}[:：]\s*$/iu;

/** The header fields of Outlook's and other clients' quoted-mail block, by role. */
const FIELD = {
  from: ['from', 'von', 'de', 'van', 'da', 'fra', 'från', 'od', 'lähettäjä', 'kimden', 'feladó', 'от', 'от кого', 'від', 'від кого', 'από', 'expéditeur', 'remitente', 'mittente', 'afzender', 'avsändare', 'afsender', 'de la', 'message du', '差出人', '发件人', '寄件者', '發件人', '보낸 사람', '보낸사람'],
  date: ['sent', 'date', 'gesendet', 'datum', 'envoyé', 'envoyé le', 'date d\'envoi', 'enviado', 'enviado el', 'enviada em', 'enviado em', 'fecha', 'data', 'inviato', 'verzonden', 'verstuurd', 'sendt', 'skickat', 'wysłano', 'wysłane', 'data wysłania', 'odesláno', 'odoslané', 'lähetetty', 'päivämäärä', 'tarih', 'gönderildi', 'gönderilme', 'отправлено', 'дата', 'надіслано', 'elküldve', 'dátum', 'στάλθηκε', 'ημερομηνία', 'trimis', 'ngày', '送信日時', '日付', '发送时间', '發送時間', '寄件日期', '日期', '时间', '時間', '보낸 날짜', '날짜'],
  to: ['to', 'an', 'à', 'a', 'para', 'aan', 'til', 'till', 'do', 'komu', 'vastaanottaja', 'kime', 'кому', 'címzett', 'προς', 'către', 'destinataire', 'destinatario', 'destinatário', 'empfänger', '宛先', '收件人', '收件者', '받는 사람', '받는사람'],
  cc: ['cc', 'kopie', 'copie', 'copie à', 'kopia', 'kopio', 'копия', 'копія', 'bilgi', 'másolat', 'dw', 'kópia', 'κοιν', 'copia', 'cópia', '抄送', '副本', '참조'],
  subject: ['subject', 'betreff', 'objet', 'sujet', 'asunto', 'assunto', 'oggetto', 'onderwerp', 'emne', 'ämne', 'temat', 'předmět', 'predmet', 'aihe', 'konu', 'тема', 'tárgy', 'θέμα', 'subiect', 'chủ đề', '件名', '主题', '主旨', '제목'],
  replyTo: ['reply-to', 'antwort an', 'répondre à', 'responder a', 'risposta', 'beantwoorden - aan', 'svar til', 'svara till', 'odpowiedź do', 'ответить'],
};
const fieldRe = (names: string[]) => new RegExp(`^[\\s>]*[*_]{0,2}(${names.join('|')})[*_]{0,2}\\s*[:：]`, 'iu');
const FROM_FIELD = fieldRe(FIELD.from);
const DATE_FIELD = fieldRe(FIELD.date);
const ANY_FIELD = fieldRe(Object.values(FIELD).flat());

/** "-----Original Message-----" and its translations, with any dashes, underscores or stars. */
const ORIGINAL_WORDS = [
  'original message', 'original e-?mail', 'reply message', 'ursprüngliche nachricht', 'originalnachricht', 'antwort nachricht',
  'message d\'origine', 'message original', 'mensaje original', 'messaggio originale', 'messaggio originale', 'oorspronkelijk bericht', 'origineel bericht',
  'wiadomość oryginalna', 'oryginalna wiadomość', 'pierwotna wiadomość', 'původní zpráva', 'pôvodná správa', 'alkuperäinen viesti', 'opprinnelig melding',
  'oprindelig meddelelse', 'oprindelig besked', 'ursprungligt meddelande', 'originalmeddelande', 'mensagem original', 'eredeti üzenet', 'orijinal mesaj',
  'orijinal ileti', 'исходное сообщение', 'исходное письмо', 'оригинальное сообщение', 'оригінальне повідомлення', 'вихідне повідомлення', 'αρχικό μήνυμα',
  'mesaj original', 'tin nhắn gốc', '原始邮件', '原始郵件', '原始信件', '元のメッセージ', '원본 메시지', 'הודעה מקורית',
];
// (quote marks and spaces, then the rule: a class shared by both would rescan a long rule from each position)
const ORIGINAL_MESSAGE = new RegExp(`^[\\s>]*[-_=*]{2,}\\s*(${ORIGINAL_WORDS.join('|')})\\s*[-_=*]{2,}[\\s*_]*$`, 'iu');

/** The start of a forwarded mail. */
const FORWARD_WORDS = [
  'forwarded message', 'forwarded e-?mail', 'weitergeleitete nachricht', 'message transféré', 'mensaje reenviado', 'messaggio inoltrato',
  'doorgestuurd bericht', 'videresendt meddelelse', 'videresendt melding', 'vidarebefordrat meddelande', 'välitetty viesti', 'wiadomość przekazana',
  'přeposlaná zpráva', 'mensagem encaminhada', 'továbbított üzenet', 'iletilen mesaj', 'пересылаемое сообщение', 'пересланное сообщение',
  'переслане повідомлення', 'προωθημένο μήνυμα', '转发的邮件', '轉寄的郵件', '転送されたメッセージ', '전달된 메시지',
];
const FORWARDED = new RegExp(
  `^\\s*([-_=*]{2,}\\s*(${FORWARD_WORDS.join('|')})\\s*[-_=*]{2,}|(begin forwarded message|début du message réexpédié|début du message transféré|anfang der weitergeleiteten nachricht|inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht|начало переадресованного сообщения|início da mensagem reencaminhada)\\s*:)\\s*$`,
  'iu',
);

/**
 * Lines other help desks and forums put between the new text and the history: Zendesk's
 * "##- Please type your reply above this line -##", "-- Reply above this line --", JIRA's and
 * Freshdesk's variants, Discourse's "--- Previous Replies", GitHub's "Reply to this email directly".
 */
const MARKER =
  /^[\s>*#_=-]*((please )?((type|write|enter|add) )?(your )?(reply|response|answer|respond|replies)( to this (email|message))? (above|over) this line\b.{0,60}|(reply|respond) above this line|antworten sie (bitte )?(oberhalb|über) dieser (zeile|linie).{0,30}|bitte oberhalb dieser (zeile|linie) antworten|(veuillez )?répond(re|ez)( au-dessus)? (au-dessus )?de cette ligne.{0,30}|(escriba|responda) (su respuesta )?(por )?(encima|arriba) de esta l[ií]nea.{0,30}|responda acima desta linha.{0,30}|rispondi sopra questa (riga|linea).{0,30}|(antwoord|reageer) boven deze (regel|lijn).{0,30}|svar (over|ovenfor) denne linje.{0,30}|svara ovanför denna rad.{0,30}|odpowiedz powyżej tej linii.{0,30}|ответьте (выше|над) этой (строкой|линией).{0,30}|previous replies|vorherige antworten|réponses précédentes|respuestas anteriores|risposte precedenti|eerdere antwoorden|vorige antwoorden|respostas anteriores|poprzednie odpowiedzi|předchozí odpovědi|предыдущие ответы|попередні відповіді|tidligere svar|tidigare svar|aiemmat vastaukset|önceki yanıtlar|以前の返信|之前的回复|reply to this email directly.{0,120}|you are receiving this because .{0,120}|posted by .{1,80} on \d{1,2}\/\d{1,2}\/\d{4})[\s*#_=-]*$/iu;

export function isOriginalMessageLine(line: string): boolean {
  return ORIGINAL_MESSAGE.test(line);
}

export function isForwardLine(line: string): boolean {
  return FORWARDED.test(line);
}

export function isMarkerLine(line: string): boolean {
  return line.length < 300 && MARKER.test(line);
}

export function isHeaderField(line: string): boolean {
  return ANY_FIELD.test(line);
}

/**
 * The lines of an Outlook-style header block starting at i ("From:", "Sent:", "To:", "Subject:",
 * a wrapped subject line), or 0 when the lines there are not one: two fields including "From"
 * or "Sent"/"Date", or three fields of any kind. A lone "From: Name <address>" counts too.
 */
export function headerBlockAt(lines: string[], i: number): number {
  if (!ANY_FIELD.test(lines[i])) return 0;
  let fields = 0;
  let keyField = false;
  let end = i;
  for (let j = i; j < Math.min(lines.length, i + 12); j++) {
    const line = lines[j];
    if (ANY_FIELD.test(line)) {
      fields++;
      if (FROM_FIELD.test(line) || DATE_FIELD.test(line)) keyField = true;
      end = j + 1;
    } else if (line.trim() === '') {
      // Outlook sometimes puts a blank line between the fields; two in a row end the block
      if (j + 1 < lines.length && ANY_FIELD.test(lines[j + 1]) && fields > 0) continue;
      break;
    } else if (fields > 0 && j === end && line.length < 120 && (!/[.!?]\s*$/.test(line) || (j + 1 < lines.length && ANY_FIELD.test(lines[j + 1])))) {
      // a wrapped value ("Subject: Some subject that\nspans over 2 lines"); one ending a sentence
      // only when another field follows it
      end = j + 1;
    } else break;
  }
  if ((fields >= 2 && keyField) || fields >= 3) return end - i;
  if (FROM_FIELD.test(lines[i]) && /(<[^<>\s]+@[^<>\s]+>|\[mailto:[^\]]+\])\s*$/i.test(lines[i])) return 1;
  return 0;
}

/** Lines i..i+span-1 as one line, with addresses broken over lines ("<\nbob@x>") mended. */
function joined(lines: string[], i: number, span: number): string {
  return lines.slice(i, i + span).join(' ').replace(/\s+/g, ' ').replace(/<\s+/g, '<').replace(/\s+>/g, '>').trim();
}

/**
 * How many lines the "On <date>, <name> wrote:" header at line i spans (up to four; 0: none).
 * Also "<name> <address> schrieb am <date>:", Gmail's "2016-03-03 17:21 GMT+01:00 Name",
 * Android's "---- Name wrote ----" and "<name> wrote:" directly above a "> " quote.
 */
export function wroteHeaderAt(lines: string[], i: number): number {
  const first = lines[i].trim().replace(/^[-\s>*]*/, '');
  if (!first) return 0;
  // "reply text--- On <date>, <address> wrote:": the dashes glue the header to the line
  if (/-{2,}\s*on\s.{4,200}\s(wrote|writes):\s*$/i.test(first) && EMAIL.test(first)) return 1;
  const startsLikeHeader = ON_START.test(first) || DATE_START.test(first) || DATEISH.test(first) || EMAIL.test(first) || /[<"]/.test(first);
  for (let span = 1; span <= 4 && i + span <= lines.length; span++) {
    if (span > 1 && !startsLikeHeader) break;
    // a quote line cannot continue an unquoted header, except an address's wrapped ">:" end
    if (span > 1 && /^\s*>/.test(lines[i + span - 1]) && !/^\s*>/.test(lines[i]) && !/^\s*>[^>]{0,40}[:：]\s*$/.test(lines[i + span - 1])) break;
    const text = joined(lines, i, span);
    if (text.length > 400) break;
    const stripped = text.replace(/^[-\s>*]*/, '').replace(/[-*\s]+$/, '').trim();
    if (stripped.length < 300) {
      if (ON_START.test(stripped) && WROTE.test(stripped) && (DATEISH.test(stripped) || EMAIL.test(stripped) || /,/.test(stripped))) return span;
      if (WROTE.test(stripped) && (DATEISH.test(stripped) || EMAIL.test(stripped))) return span;
      if (QUOTING.test(stripped)) return span;
      // "<address> … <date>:" and "<date>, <name> <address>:" (Yandex, Mail.ru, Gmail in many languages)
      if (EMAIL.test(stripped) && DATEISH.test(stripped) && /[:：]$/.test(stripped) && !ANY_FIELD.test(stripped)) return span;
      if (span === 1 && DATE_START.test(stripped) && (/\bGMT[+-]\d{1,2}:?\d{2}\b/.test(stripped) || EMAIL.test(stripped)) && stripped.length < 200) return 1;
      if (/^-{2,}\s*.{1,80}\s(wrote|написал\(а\)|написал|пишет|schrieb|a écrit)\s*-{2,}$/i.test(text)) return span;
    }
    // the header ends at a line ending with ":" or "wrote"; do not join past a blank line
    if (i + span < lines.length && lines[i + span - 1].trim() === '') break;
  }
  // "<name> wrote:" (no date) directly above a "> " quote
  if (first.length <= 80 && WROTE.test(first) && /[:：]\s*$/.test(first) && !/^\s*>/.test(lines[i])) {
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (j < lines.length && /^\s*>/.test(lines[j])) return 1;
  }
  // "On <date> <name>" whose "wrote:" comes a few lines later, after a mangled address (Polymail)
  if (ON_START.test(first) && DATEISH.test(first) && /\d{1,2}:\d{2}/.test(first)) {
    for (let j = i + 1; j < Math.min(lines.length, i + 7); j++) {
      if (WROTE.test(lines[j]) && /[:：]\s*$/.test(lines[j])) return j - i + 1;
      if (/^\s*>/.test(lines[j])) break;
    }
  }
  return 0;
}

/**
 * "answer text On <date>, <name> <address> wrote:" sharing a line: the index where the header
 * starts, or -1. Only when the text before it ends a sentence or a "---" run.
 */
export function inlineHeaderStart(line: string): number {
  if (line.length > 600 || !/\S\s*-*\s*(on|le|am|el|il|em|op|den|w dniu)\s/i.test(line)) return -1;
  const m = /(^|[.!?)]\s+|\s-+\s)((on|le|am|el|il|em|op|den|w dniu)\s.{4,250})$/i.exec(line);
  if (!m || m.index + m[1].length === 0) return -1;
  const header = m[2];
  if (!WROTE.test(header) || !(EMAIL.test(header) || DATEISH.test(header))) return -1;
  const start = m.index + m[1].length;
  return line.slice(0, start).trim() ? start : -1;
}
