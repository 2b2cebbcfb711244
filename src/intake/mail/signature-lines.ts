// What mail clients and phones add below what a person wrote: "Sent from my iPhone" in many
// languages, "Get Outlook for Android", "Name\nvia mobile", the RFC 3676 "-- " delimiter, rules of
// dashes or underscores, and a trailing contact block (name, address, phone, web site). A sign-off
// the person typed ("Thanks,\nNoam", "-Abhishek", "Best regards\n\nSome One") is part of the reply.

const MOBILE = [
  // en
  '[(<]*sent (from|via|with|using|by|on) .{2,60}',
  'get outlook for .{2,40}', 'download outlook for .{2,40}', 'from my (iphone|ipad|android|mobile|phone|samsung|galaxy|blackberry|huawei|pixel).{0,30}',
  '\\S+ from mobile', '(sent )?(via|from) (my )?(mobile|phone|cell|smartphone)( device)?',
  // fr
  'envoyé (de|depuis|à partir de|avec) .{2,60}', '(obtenir|télécharger) outlook pour .{2,40}',
  // de
  'von meinem .{2,50} gesendet', '(gesendet|versendet|verschickt) (von|mit|vom|über|aus) .{2,50}', 'diese nachricht wurde von .{2,80} gesendet.?', 'outlook für .{2,30} (herunterladen|beziehen)',
  // es, pt, it, ca
  'enviado (desde|con|do|de|a partir do|pelo|pela) .{2,60}', '(obtener|descargar|obter|baixar) (el |o )?outlook para .{2,40}', 'inviato (da|dal|dalla|con) .{2,60}', 'scarica outlook per .{2,40}', 'enviat des de .{2,40}',
  // nl
  '(verzonden|verstuurd) (vanaf|met|van|via) .{2,60}', 'outlook voor .{2,30} downloaden',
  // da, no, sv, fi
  'sendt fra .{2,60}', '(hent|få) outlook (til|for) .{2,30}', 'skickat från .{2,60}', 'från min .{2,40}', 'hämta outlook för .{2,30}', 'lähetetty .{2,50}(sta|stä|lta|ltä)',
  // pl, cs, sk, sl, hu, ro, el, tr
  'wysłane (z|ze|przy użyciu) .{2,60}', 'wysłano (z|ze) .{2,60}', 'pobierz (aplikację )?outlook .{2,40}', 'odesláno (z|ze) .{2,60}', 'odoslané (z|zo) .{2,60}', 'poslano (z|iz) .{2,60}',
  'elküldve .{2,40}(ről|ról|ből|ból)', '.{2,40}(ről|ról) küldve', 'trimis de pe .{2,60}', 'αποστολή από .{2,60}', '.{2,50} (gönderildi|gönderilmiştir)',
  // ru, uk
  'отправлено (с|со|из|через) .{2,60}', 'надіслано (з|із|зі|через) .{2,60}', 'отправлено с моего .{2,40}',
  // zh, ja, ko
  '(从|從|发自|發自)我的.{1,30}', '從我的 ?.{1,30}傳送', '.{1,30}から送信', '.{1,30}에서 보냄', '.{1,40}에서 보냈습니다\\.?',
];
const MOBILE_SIGNATURE = new RegExp(`^\\s*(${MOBILE.join('|').replaceAll('.{', '[^,;:!?]{')})[\\s)>.!]*(<[^>\\s]*>)?\\s*$`, 'iu');
const VIA_MOBILE = /^\s*(via|from) (my )?(mobile|phone|cell|smartphone)\s*$/i;
const NAME_LINE = /^\s*[\p{Lu}][\p{L}'’.-]*(\s+[\p{Lu}][\p{L}'’.-]*){0,3}\s*$/u;
/** A line of rule characters (dashes, underscores, equals, stars, the Gmail tracker ᐧ). */
const RULE = /^\s*[-_=+~#*—–ᐧ\u200b]{2,}\s*$/;
const TRAILING_RULE = /^\s*[-_=+~#*—–ᐧ\u200b]+\s*$/;

// each alternative starts only where a word or number starts (a long run is not rescanned from each position)
const CONTACT = /(?<![^\s@])[^\s@]+@[^\s@]+\.[a-z]{2,}|\bwww\.|https?:\/\/|(?<![\d\s().-])(\+|\b)\(?\d[\d\s().-]{6,}\d\b/i;

export function isMobileSignature(line: string): boolean {
  return line.length <= 120 && MOBILE_SIGNATURE.test(line.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1'));
}

export function isRule(line: string): boolean {
  return RULE.test(line);
}

const lastText = (lines: string[], end: number) => {
  let j = end - 1;
  while (j >= 0 && lines[j].trim() === '') j--;
  return j;
};

/** A block of short lines at the end: a name and at least two lines of contact details. */
function contactBlockStart(lines: string[], end: number): number {
  const last = lastText(lines, end);
  if (last < 0) return end;
  let start = last;
  while (start > 0 && lines[start - 1].trim() !== '') start--;
  if (start === 0) return end;
  const block = lines.slice(start, last + 1);
  if (block.length < 2 || block.length > 7 || block.some((l) => l.trim().length > 60 || /[?]\s*$/.test(l))) return end;
  return block.filter((l) => CONTACT.test(l)).length >= 2 && !CONTACT.test(block[0]) ? start : end;
}

/** The lines without the signature and without trailing rules, mobile lines and contact blocks. */
export function stripSignature(lines: string[]): string[] {
  let end = lines.length;
  // "-- " (RFC 3676) or a line of underscores starts a signature
  for (let i = 1; i < end; i++) {
    if (/^--\s?$/.test(lines[i]) || /^\s*_{2,}\s*$/.test(lines[i])) {
      end = i;
      break;
    }
  }
  for (;;) {
    const j = lastText(lines, end);
    if (j <= 0) break;
    if (isMobileSignature(lines[j]) || TRAILING_RULE.test(lines[j])) {
      end = j;
      // "Stavros Xxxxxx\nvia mobile": the name belongs to the tag
      if (VIA_MOBILE.test(lines[j]) && j > 1 && NAME_LINE.test(lines[j - 1]) && lines[j - 2].trim() === '') end = j - 1;
      continue;
    }
    const contact = contactBlockStart(lines, end);
    if (contact < end) {
      end = contact;
      continue;
    }
    break;
  }
  return lines.slice(0, end);
}
