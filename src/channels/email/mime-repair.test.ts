import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectCharset, isKnownCharset, repairMime } from './mime-repair.ts';

describe('detectCharset', () => {
  const ru = 'Здравствуйте! Принтер на третьем этаже не печатает с самого утра, помогите пожалуйста.';
  it.each(['windows-1251', 'koi8-r', 'iso-8859-5', 'ibm866'] as const)('recognises Russian text in %s', (cs) => {
    expect(detectCharset(iconv.encode(ru, cs))).toBe(cs);
  });
  it('recognises short Russian words and Western accents apart', () => {
    expect(detectCharset(iconv.encode('Тест', 'koi8-r'))).toBe('koi8-r');
    expect(detectCharset(iconv.encode('Wilhelmsen Håvard', 'windows-1252'))).toBe('windows-1252');
    expect(detectCharset(iconv.encode('Grüße aus München, café', 'windows-1252'))).toBe('windows-1252');
  });
  it('recognises UTF-8 and 7-bit ISO-2022-JP', () => {
    expect(detectCharset(Buffer.from(ru))).toBe('utf-8');
    expect(detectCharset(Buffer.from('\x1b$B%W%j%s%?!<\x1b(B', 'latin1'))).toBe('iso-2022-jp');
  });
});

describe('repairMime', () => {
  it('returns mail that needs nothing as it is', () => {
    const raw = Buffer.from('From: a@b.example\r\nSubject: hi\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n\xf4\xc5\xd3\xd4\r\n', 'latin1');
    expect(repairMime(raw)).toEqual({ raw, problems: [] });
  });

  it('gives undeclared 8-bit text and headers the likely charset and says so', () => {
    const raw = Buffer.concat([Buffer.from('From: a@b.example\r\nSubject: '), iconv.encode('Не печатает', 'koi8-r'), Buffer.from('\r\n\r\n'), iconv.encode('Принтер не печатает с утра.', 'koi8-r')]);
    const r = repairMime(raw);
    expect(r.problems).toEqual(['header with 8-bit characters and no charset, read as koi8-r', 'text without a charset, read as koi8-r']);
    expect(r.raw.toString('utf8')).toContain('Subject: Не печатает');
    expect(r.raw.toString('latin1')).toContain('Content-Type: text/plain; charset="koi8-r"');
  });

  it('replaces a charset nobody knows, and one the bytes contradict', () => {
    const body = iconv.encode('Сломался сканер', 'windows-1251');
    for (const declared of ['x-unknown', 'us-ascii', 'utf-8']) {
      const raw = Buffer.concat([Buffer.from(`From: a@b.example\r\nContent-Type: text/plain; charset=${declared}\r\n\r\n`), body]);
      const r = repairMime(raw);
      expect(r.raw.toString('latin1')).toContain('charset="windows-1251"');
      expect(r.problems[0]).toMatch(/does not decode as such, read as windows-1251/);
    }
  });

  it('uses a charset the message declares for raw 8-bit part headers (GB2312 file names)', () => {
    const name = iconv.encode('报告.xls', 'gb2312');
    const raw = Buffer.concat([
      Buffer.from('From: a@b.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=gb2312\r\n\r\nx\r\n--b\r\nContent-Type: application/octet-stream; name="'),
      name,
      Buffer.from('"\r\n\r\ndata\r\n--b--\r\n'),
    ]);
    expect(repairMime(raw).raw.toString('utf8')).toContain('name="报告.xls"');
  });

  it('joins a part header line that lost its folding indent', () => {
    const raw = Buffer.from('From: a@b.example\r\nContent-Type: multipart/mixed; boundary="o"\r\n\r\n--o\r\nContent-Type: multipart/alternative;\r\nboundary="i"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nhello\r\n--i--\r\n--o--\r\n');
    const r = repairMime(raw);
    expect(r.raw.toString()).toContain('Content-Type: multipart/alternative;\r\n\tboundary="i"');
    expect(r.problems).toEqual(['a part header line without a name was read as part of the line above']);
  });

  it('knows which declared charsets mailparser can decode', () => {
    expect(['koi8-r', 'windows-1251', 'iso-2022-jp', 'gb2312', 'ks_c_5601-1987', 'shift_jis'].every(isKnownCharset)).toBe(true);
    expect(['x-unknown', 'utf-7', 'unicode-1-1-utf-7', ''].some(isKnownCharset)).toBe(false);
  });
});
