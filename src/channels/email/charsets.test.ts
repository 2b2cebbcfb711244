import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText, guessCjk, isMislabelledUtf8, knowsCharset, parserKnowsCharset } from './charsets.ts';

describe('decodeText', () => {
  it('never fails on a charset: a label nobody knows gives null', () => {
    expect(decodeText(Buffer.from('x'), 'x-unknown')).toBeNull();
    expect(decodeText(Buffer.from('x'), 'no-such-charset')).toBeNull();
    expect(decodeText(Buffer.from([0xe9]), '"ISO-8859-1"')).toBe('é');
    expect(decodeText(Buffer.from([0xe9]), 'cp-1252')).toBe('é');
  });

  it('decodes the ISO-2022 family, HZ and UTF-7, which iconv-lite lacks or mailparser refuses', () => {
    // ESC $ ) C, SO … SI: "안녕" in ISO-2022-KR
    expect(decodeText(Buffer.from('\x1b$)C\x0e>H3g\x0f!', 'latin1'), 'ISO-2022-KR')).toBe('안녕!');
    expect(decodeText(Buffer.from('\x1b$B%W%j%s%?!<\x1b(B ok', 'latin1'), 'iso-2022-jp')).toBe('プリンター ok');
    expect(decodeText(Buffer.from('\x1b$A4rS!\x1b(B', 'latin1'), 'ISO-2022-JP-2')).toBe('打印');
    expect(decodeText(Buffer.from('\x1b$)A\x0e4rS!\x0f', 'latin1'), 'ISO-2022-CN')).toBe('打印');
    expect(decodeText(Buffer.from('~{4rS!~} ~~'), 'HZ-GB-2312')).toBe('打印 ~');
    expect(decodeText(Buffer.from('Gr+APwA3w-e'), 'UTF-7')).toBe('Grüße');
    expect(['utf-7', 'iso-2022-kr', 'iso-2022-cn', 'hz-gb-2312'].every(knowsCharset)).toBe(true);
    expect(['utf-7', 'iso-2022-kr', 'hz-gb-2312', 'x-unknown'].some(parserKnowsCharset)).toBe(false);
  });
});

describe('guessCjk', () => {
  it.each([
    ['打印机坏了，请帮忙', 'gbk', 'gbk'],
    ['印表機壞了，請幫忙', 'big5', 'big5'],
    ['プリンターが故障しました', 'shift_jis', 'shift_jis'],
    ['プリンターが故障しました', 'euc-jp', 'euc-jp'],
    ['프린터가 고장났어요', 'euc-kr', 'cp949'],
  ])('tells %s in %s', (text, cs, expected) => {
    expect(guessCjk(iconv.encode(text, cs))).toBe(expected);
  });
  it.each([['Grüße aus München', 'windows-1252'], ['Не печатает принтер', 'windows-1251'], ['Тест', 'koi8-r'], ['Håvard', 'windows-1252']])(
    'leaves %s (%s) to the Western and Cyrillic detector',
    (text, cs) => expect(guessCjk(iconv.encode(text, cs))).toBeNull(),
  );
});

describe('isMislabelledUtf8', () => {
  it('checks whether a body is valid UTF-8 before trusting a legacy label', () => {
    expect(isMislabelledUtf8(Buffer.from('Grüße – café'), 'windows-1252')).toBe(true);
    expect(isMislabelledUtf8(iconv.encode('Grüße', 'windows-1252'), 'windows-1252')).toBe(false);
    expect(isMislabelledUtf8(Buffer.from('plain ascii'), 'iso-8859-1')).toBe(false);
    // a multi-byte charset its bytes fit is believed
    expect(isMislabelledUtf8(iconv.encode('打印机', 'gbk'), 'gbk')).toBe(false);
    expect(isMislabelledUtf8(Buffer.from('打印机坏了'), 'gb2312')).toBe(true);
  });
});
