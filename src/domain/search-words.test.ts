import { describe, expect, it } from 'vitest';
import { foldWord, stemmedText, stemWord, textWords } from './search-words.ts';

const stem = (w: string) => stemWord(foldWord(w));

describe('search words', () => {
  it('makes the forms of a Russian or English word one word', () => {
    for (const [forms, base] of [
      [['принтер', 'принтера', 'принтеры', 'принтеров', 'Принтеру'], 'принтер'],
      [['ошибка', 'ошибки', 'ошибкой', 'ОШИБКУ'], 'ошибка'],
      [['папка', 'папке', 'папку', 'папкой'], 'папка'],
      [['пароль', 'пароля', 'паролем'], 'пароль'],
      [['printer', 'printers', 'Printer'], 'printer'],
      [['connection', 'connections', 'connected', 'connecting'], 'connect'],
    ] as const) {
      for (const f of forms) expect(stem(f), f).toBe(stem(base));
    }
    // different words stay apart
    expect(stem('принтер')).not.toBe(stem('принт'));
    expect(stem('папка')).not.toBe(stem('папа'));
  });

  it('folds case, ё and Latin diacritics, and keeps й, codes and other scripts as they are', () => {
    expect(foldWord('ЁЖИК')).toBe('ежик');
    expect(stem('Ёжик')).toBe(stem('ежик'));
    expect(foldWord('Café')).toBe('cafe');
    expect(foldWord('Йод')).toBe('йод');
    expect(stem('0x80070005')).toBe('0x80070005');
    expect(stem('ws1042')).toBe('ws1042');
    expect(stem('東京')).toBe('東京');
  });

  it('leaves a run of letters longer than any word as it is, however long (a mail of one 300 KB word)', () => {
    const word = 'printing'.repeat(8); // 64 letters: still a word
    expect(stemWord(word)).toBe(word.slice(0, -3));
    const longer = `${word}s`;
    expect(stemWord(longer)).toBe(longer);
    const blob = 'Y'.repeat(300 * 1024);
    expect(stemmedText(`printers ${blob} printers`)).toBe(`printer ${blob.toLowerCase()} printer`);
    expect(textWords(blob)[0].stem).toBe(blob.toLowerCase());
  });

  it('cuts a text where unicode61 cuts it, and knows where each word is', () => {
    expect(stemmedText('Принтер не печатает: ошибка 0x80070005 на ws-1042.')).toBe('принтер не печата ошибк 0x80070005 на ws 1042');
    const text = 'В папке «Отчёты» ошибки';
    expect(textWords(text).map((x) => [text.slice(x.start, x.end), x.stem])).toEqual([['В', 'в'], ['папке', 'папк'], ['Отчёты', 'отчет'], ['ошибки', 'ошибк']]);
  });
});
