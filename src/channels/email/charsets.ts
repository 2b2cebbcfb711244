// Text in any charset a mail client sends, decoded without ever failing. iconv-lite knows most
// labels; the 7-bit ISO-2022 family (JP, JP-2, KR, CN) and HZ are shift states over the EUC tables
// iconv-lite has, decoded here; UTF-7 is iconv-lite's. A label nobody knows gives null, and the
// caller guesses. Raw 8-bit header text has no label at all: mime-repair tries
// the charsets the message declares elsewhere, then CJK, Cyrillic and Western text by their letters.
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/** A charset label as written ("UTF-8", "\"iso-8859-1\"", "cp-1252 ") in a comparable form. */
export function normalizeLabel(label: string): string {
  return label.trim().replace(/^["']+|["']+$/g, '').trim().toLowerCase();
}

const UTF7 = /^(x-)?(cs)?(unicode-?1-?1-?)?utf-?7$|^x-unicode-?2-?0-?utf-?7$/;
const ISO2022 = /^(cs|x-)?iso-?2022-?(jp|kr|cn)(-?(ext|\d+))?$|^jis(_encoding)?$|^csiso2022(jp|kr|cn)2?$/;
const HZ = /^(x-)?hz(-gb-?2312)?$/;
// what iconv-lite calls by another name, or lacks but has a superset of
const ALIASES: Record<string, string> = {
  'x-mac-korean': 'cp949', 'x-windows-949': 'cp949', 'windows-949': 'cp949', 'ks_c_5601': 'cp949', 'ksc5601': 'cp949',
  'x-x-big5': 'big5', 'big-5': 'big5', 'x-gbk': 'gbk', 'gb_2312': 'gb2312', 'x-gb2312': 'gb2312',
  'x-sjis-cp932': 'cp932', 'ms_kanji': 'shift_jis', 'x-mac-japanese': 'shift_jis', 'x-mac-chinesesimp': 'gb2312',
  'x-mac-chinesetrad': 'big5', 'iso-8859-8-e': 'iso-8859-8', 'iso-8859-6-i': 'iso-8859-6', 'iso-8859-6-e': 'iso-8859-6',
  'windows-1252-pc': 'windows-1252', 'x-ansi': 'windows-1252', 'ansi': 'windows-1252', 'latin-1': 'latin1', 'utf8mb4': 'utf-8',
};
const MEANINGLESS = /^(x-?unknown|unknown(-8bit)?|x-user-defined|default|none|charset|binary|8-?bit|7-?bit|us-ascii\?|)$/;

function iconvName(n: string): string | null {
  const aliased: string = ALIASES[n] ?? n;
  // "cp-1252", "win-1251", "iso8859_1", "utf_8"
  const compact: string = aliased.replace(/^win(dows)?[-_]?(?=\d)/, 'windows').replace(/^cp[-_]/, 'cp').replace(/_/g, '-');
  return [aliased, compact].find((name) => iconv.encodingExists(name)) ?? null;
}

/** Whether decodeText knows a label. */
export function knowsCharset(label: string): boolean {
  const n = normalizeLabel(label);
  if (MEANINGLESS.test(n)) return false;
  return UTF7.test(n) || ISO2022.test(n) || HZ.test(n) || iconvName(n) !== null;
}

/** Whether mailparser and libmime read a label themselves (iconv-lite's, and ISO-2022-JP through encoding-japanese). */
export function parserKnowsCharset(label: string): boolean {
  const n = normalizeLabel(label);
  if (MEANINGLESS.test(n) || UTF7.test(n) || HZ.test(n)) return false;
  if (ISO2022.test(n)) return /^(cs)?iso-?2022-?jp$/.test(n);
  return !ALIASES[n] && iconv.encodingExists(n);
}

export function isUtf8Label(label: string): boolean {
  return /^(utf-?8|unicode-1-1-utf-8|utf8mb4)$/.test(normalizeLabel(label));
}

export function isAsciiLabel(label: string): boolean {
  return /^(us-?ascii|ascii|ansi_x3\.4-1968|iso646-us|us)$/.test(normalizeLabel(label));
}

/** Multi-byte CJK charsets, whose decoding says whether the bytes fit them. */
const MULTIBYTE = /^(gb|big5|cp9[345]|shift|sjis|x-sjis|euc|ks_c|cp949|windows-31j|ms932|iso-?2022|hz)/;

/** Bytes in a labelled charset as text, or null when nobody knows the label. Never throws. */
export function decodeText(bytes: Buffer, label: string): string | null {
  const n = normalizeLabel(label);
  if (MEANINGLESS.test(n)) return null;
  try {
    if (UTF7.test(n)) return iconv.decode(bytes, 'utf7');
    if (ISO2022.test(n)) return decodeIso2022(bytes);
    if (HZ.test(n)) return decodeHz(bytes);
    const name = iconvName(n);
    return name ? iconv.decode(bytes, name) : null;
  } catch {
    return null;
  }
}

// ---------- ISO-2022 (RFC 1468 JP, RFC 1554 JP-2, RFC 1557 KR, RFC 1922 CN) and HZ (RFC 1843)

/** The table a 94- or 94×94-character set maps onto: bytes | 0x80 in the EUC charset named. */
type G = { table: string; width: 1 | 2; prefix?: number } | null;
const ASCII: G = null;
const DESIGNATIONS: Record<string, G> = {
  '(B': ASCII, '(J': ASCII, '(H': ASCII,
  '(I': { table: 'shift_jis', width: 1 }, // half-width katakana: 0x21… → 0xA1…
  '$@': { table: 'euc-jp', width: 2 }, '$B': { table: 'euc-jp', width: 2 }, '$(B': { table: 'euc-jp', width: 2 }, '$(Q': { table: 'euc-jp', width: 2 },
  '$(D': { table: 'euc-jp', width: 2, prefix: 0x8f }, // JIS X 0212
  '$A': { table: 'gbk', width: 2 }, '$(A': { table: 'gbk', width: 2 }, '$)A': { table: 'gbk', width: 2 }, '$)E': { table: 'gbk', width: 2 },
  '$(C': { table: 'cp949', width: 2 }, '$)C': { table: 'cp949', width: 2 },
  '.A': { table: 'iso-8859-1', width: 1 }, '.F': { table: 'iso-8859-7', width: 1 },
};
const UNSUPPORTED: G = { table: '', width: 2 }; // CNS 11643 (ISO-2022-CN's Traditional Chinese): no table

function decodeIso2022(bytes: Buffer): string {
  let g0: G = ASCII;
  let g1: G = ASCII;
  let g2: G = ASCII;
  let shifted = false;
  let out = '';
  let run: number[] = [];
  let runSet: G = ASCII;
  const flush = () => {
    if (run.length === 0) return;
    if (!runSet) out += Buffer.from(run).toString('latin1');
    else if (!runSet.table) out += '\uFFFD'.repeat(Math.ceil(run.length / runSet.width));
    else out += iconv.decode(Buffer.from(run), runSet.table);
    run = [];
  };
  const emit = (set: G, codes: number[]) => {
    if (set !== runSet) {
      flush();
      runSet = set;
    }
    run.push(...codes);
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x1b) {
      const seq = bytes.subarray(i + 1, i + 4).toString('latin1');
      const key = ['$(', '$)', '$*', '$+'].includes(seq.slice(0, 2)) ? seq.slice(0, 3) : seq.slice(0, 2);
      if (key === 'N' || key.startsWith('N')) {
        // single shift 2: one character from G2
        const c = bytes[i + 2];
        if (g2 && g2.table && c !== undefined) emit(g2, [c | 0x80]);
        i += 2;
        continue;
      }
      if (key.startsWith('$)')) g1 = DESIGNATIONS[key] ?? UNSUPPORTED;
      else if (key.startsWith('$*') || key.startsWith('$+') || key.startsWith('.')) g2 = DESIGNATIONS[key] ?? UNSUPPORTED;
      else if (key in DESIGNATIONS) g0 = DESIGNATIONS[key];
      else if (key.startsWith('$')) g0 = UNSUPPORTED;
      else if (key.startsWith('(')) g0 = ASCII;
      else continue; // a lone ESC: dropped
      i += key.length;
      continue;
    }
    if (b === 0x0e) {
      shifted = true;
      continue;
    }
    if (b === 0x0f) {
      shifted = false;
      continue;
    }
    if (b === 0x0a || b === 0x0d) shifted = false; // a shift ends with its line (KR, CN)
    const set = shifted ? g1 : g0;
    if (!set || b < 0x21 || b > 0x7e) {
      emit(ASCII, [b]);
      continue;
    }
    if (set.width === 1) {
      emit(set, [b | 0x80]);
      continue;
    }
    const c = bytes[i + 1];
    if (c === undefined || c < 0x21 || c > 0x7e) {
      emit(ASCII, [b]);
      continue;
    }
    emit(set, set.prefix ? [set.prefix, b | 0x80, c | 0x80] : [b | 0x80, c | 0x80]);
    i++;
  }
  flush();
  return out;
}

function decodeHz(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return text.replace(/~\r?\n/g, '').replace(/~\{([\s\S]*?)(~\}|$)/g, (_m, gb: string) => {
    const pairs = Buffer.from(gb.replace(/[^\x21-\x7e]/g, ''), 'latin1').map((c) => c | 0x80);
    return iconv.decode(Buffer.from(pairs), 'gbk');
  }).replace(/~~/g, '~');
}

// ---------- guessing: bytes without a (usable) label -------------------------------------------

// Characters that make up most Chinese, Japanese and Korean text, for telling apart the CJK
// double-byte charsets, which accept much the same byte pairs
const COMMON_HANZI_SIMPLIFIED =
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切布乎帮谢您邮附送复印脑码登录故障告诉价订购货款询报名公司产品服务客户';
const COMMON_HANZI_TRADITIONAL =
  '的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關並內加化由卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死常提感金何更反合放做系計或司利受光王果親界及今京務制解各任至清物台象記邊共風戰乾接它許八特覺望直服毛林題建南度統色字請交愛讓認算論百吃義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花快條院變聯言權往展該領傳近留紅治決周保達辦運武半候七必城父強步完革深區即求品士轉量空甚眾技輕程告江語英基派滿式李息寫呢識極令黃德收臉錢黨倒未持取設始版雙歷越史商千片容研像找友孩站廣改議形委早房音火際則首單據導影失拿網香似斯專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離雖壞興切布乎幫謝您郵附送覆印腦碼登錄故障訴價訂購貨款詢司品務客戶';
const COMMON_HANGUL =
  '이다는의에가을하고서지기로한요습니세리사어도있자인대들해수시것으일보나주정부전제게성장상과라적회만아원면문연화안우중드스트비무합께님감프린터났녕메확결첨파관련내용번호문의드립니다그런데저희및를은와께서위해여러분께알려드리오늘내일어제처리요청계정비밀번호변경오류발생했습니까고객센터담당자메일첨부파일확인부탁';
const COMMON_KANJI =
  '日本人大年一出中会上見行事者生自分時手作方前間気社何今思言同取後地場入電話私新物合業的用発東問題先定連絡確認送付件願申致下記予内容注文様御担当者故障修理印刷機動画面設置書類資料積';

const SETS = {
  'gbk': new Set(COMMON_HANZI_SIMPLIFIED),
  'big5': new Set(COMMON_HANZI_TRADITIONAL),
  'cp949': new Set(COMMON_HANGUL),
  'shift_jis': new Set(COMMON_KANJI),
  'euc-jp': new Set(COMMON_KANJI),
} as const;
type CjkCharset = keyof typeof SETS;

const KANA = /[\u3041-\u30ff]/;
// what no text in these charsets holds: replacement, controls, private use, half-width katakana
// (Shift_JIS single bytes, the usual sign that the pairs were not Shift_JIS)
const IMPLAUSIBLE = /[\uFFFD\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ue000-\uf8ff\uff61-\uff9f]/;

/** How much of a text reads as the CJK language of a charset: the share of its characters that are common in it. */
function cjkScore(bytes: Buffer, cs: CjkCharset): number {
  const text = iconv.decode(bytes, cs);
  if (IMPLAUSIBLE.test(text)) return 0;
  let wide = 0;
  let hits = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) continue;
    wide++;
    if (SETS[cs].has(ch) || ((cs === 'shift_jis' || cs === 'euc-jp') && KANA.test(ch))) hits++;
    // CJK punctuation and full-width forms belong to every one of them
    else if (/[\u3000-\u303f\uff01-\uff5e]/.test(ch)) hits += 0.5;
  }
  // one common character in a long text is chance: at least two, unless the text is one character
  if (hits < Math.min(2, wide)) return 0;
  return wide ? hits / wide : 0;
}

const CJK: readonly CjkCharset[] = ['gbk', 'big5', 'shift_jis', 'euc-jp', 'cp949'];

/** The CJK charset the bytes most likely are, when at least a third of their characters are common in it. */
export function guessCjk(bytes: Buffer): CjkCharset | null {
  let best: CjkCharset | null = null;
  let bestScore = 0.34;
  for (const cs of CJK) {
    const score = cjkScore(bytes, cs);
    if (score > bestScore) {
      best = cs;
      bestScore = score;
    }
  }
  return best;
}

export function isValidUtf8(bytes: Buffer): boolean {
  return isUtf8(bytes);
}

/** Whether bytes labelled with a legacy charset are really UTF-8 (a client that wrote the wrong label). */
export function isMislabelledUtf8(bytes: Buffer, label: string): boolean {
  if (isUtf8Label(label) || !bytes.some((b) => b >= 0x80) || !isValidUtf8(bytes)) return false;
  const n = normalizeLabel(label);
  // a multi-byte charset that fits its bytes is believed (short CJK text can be valid UTF-8 by chance)
  if (MULTIBYTE.test(n)) return (decodeText(bytes, n) ?? '\uFFFD').includes('\uFFFD');
  return true;
}

/** Whether a label is one of the multi-byte CJK charsets. */
export function isMultibyteLabel(label: string): boolean {
  return MULTIBYTE.test(normalizeLabel(label));
}

/** Whether bytes decode in a charset without replacement, control or private-use characters. */
export function decodesCleanly(bytes: Buffer, label: string): boolean {
  const text = decodeText(bytes, label);
  return text !== null && !IMPLAUSIBLE.test(text.replace(/[\uff61-\uff9f]/g, ''));
}
