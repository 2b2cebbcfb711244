// SMS control keywords (opt-out, opt-in, help) in English and Russian. A text is a keyword only
// when it is nothing but the keyword, so "stop the printer" is an ordinary message.
export type SmsKeywordKind = 'stop' | 'start' | 'help';

export type SmsKeyword = {
  kind: SmsKeywordKind;
  /** the keyword as written, upper-cased */
  word: string;
  lang: 'en' | 'ru';
  /** Twilio answers these English keywords itself (US/Canada numbers, Advanced Opt-Out) */
  providerStandard: boolean;
  /** counts only when the number is opted out ("yes" is otherwise an answer to an agent) */
  onlyWhenOptedOut: boolean;
};

// Twilio's standard keywords (STOP family, START family, HELP family).
const EN: Record<string, SmsKeywordKind> = {
  STOP: 'stop', STOPALL: 'stop', UNSUBSCRIBE: 'stop', CANCEL: 'stop', END: 'stop', QUIT: 'stop', REVOKE: 'stop', OPTOUT: 'stop',
  START: 'start', UNSTOP: 'start', YES: 'start',
  HELP: 'help', INFO: 'help',
};
const RU: Record<string, SmsKeywordKind> = {
  СТОП: 'stop', ОТПИСАТЬСЯ: 'stop', ОТПИСКА: 'stop',
  СТАРТ: 'start', ПОДПИСАТЬСЯ: 'start',
  ПОМОЩЬ: 'help', СПРАВКА: 'help',
};

export function parseSmsKeyword(text: string): SmsKeyword | undefined {
  const word = text
    .trim()
    .replace(/^[\s"'«„“(]+|[\s"'»”).!?,;:…]+$/gu, '')
    .toUpperCase()
    .replace(/Ё/g, 'Е');
  if (!word || word.length > 20 || /\s/.test(word)) return undefined;
  const en = EN[word];
  if (en) return { kind: en, word, lang: 'en', providerStandard: true, onlyWhenOptedOut: word === 'YES' };
  const ru = RU[word];
  if (ru) return { kind: ru, word, lang: 'ru', providerStandard: false, onlyWhenOptedOut: false };
  return undefined;
}
