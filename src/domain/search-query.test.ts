import { describe, expect, it } from 'vitest';
import { formatSearch, MAX_TERMS, parseSearch } from './search-query.ts';

const w = (text: string, prefix = false) => ({ text, prefix, phrase: false });
const p = (text: string) => ({ text, prefix: false, phrase: true });

describe('search query', () => {
  it('reads words, quoted phrases, OR, exclusions and prefixes', () => {
    expect(parseSearch('принтера не печатает')).toEqual({ all: [[w('принтера')], [w('не')], [w('печатает')]], none: [], fields: [] });
    expect(parseSearch('"toner jam" OR замятие -HP -"paper tray" print*')).toEqual({
      all: [[p('toner jam'), w('замятие')], [w('print', true)]], none: [w('HP'), p('paper tray')], fields: [],
    });
    // OR in capitals only, between two terms; a lone one is nothing
    expect(parseSearch('a OR b c or d')).toEqual({ all: [[w('a'), w('b')], [w('c')], [w('or')], [w('d')]], none: [], fields: [] });
    expect(parseSearch('OR a OR')).toEqual({ all: [[w('a')]], none: [], fields: [] });
    expect(parseSearch('-a OR b')).toEqual({ all: [[w('b')]], none: [w('a')], fields: [] });
  });

  it('reads the fields it knows, quoted values with spaces, and any other name: as words', () => {
    expect(parseSearch('org:"Ромашка ООО" Status:open assignee:me from:anna@client.example before:2026-11-01 after:2026-10-01 пароль')).toEqual({
      all: [[w('пароль')]], none: [],
      fields: [
        { name: 'org', value: 'Ромашка ООО' }, { name: 'status', value: 'open' }, { name: 'assignee', value: 'me' },
        { name: 'from', value: 'anna@client.example' }, { name: 'before', value: '2026-11-01' }, { name: 'after', value: '2026-10-01' },
      ],
    });
    expect(parseSearch('http://intranet/wiki ошибка: 0x80070005')).toEqual({ all: [[w('http //intranet/wiki')], [w('ошибка')], [w('0x80070005')]], none: [], fields: [] });
  });

  it('never fails on what is typed: operators of the index, stray quotes and marks are left out', () => {
    expect(parseSearch('"unclosed phrase')).toEqual({ all: [[p('unclosed phrase')]], none: [], fields: [] });
    expect(parseSearch('abc"def ( ) ^ * - : NEAR(x y)')).toEqual({ all: [[w('abc def')], [w('NEAR x')], [w('y')]], none: [], fields: [] });
    expect(parseSearch('a\0b')).toEqual({ all: [[w('a b')]], none: [], fields: [] });
    expect(parseSearch('x* ab*')).toEqual({ all: [[w('x')], [w('ab', true)]], none: [], fields: [] });
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    expect(parseSearch(many).all).toHaveLength(MAX_TERMS);
  });

  it('writes a query back as it was understood', () => {
    const typed = '"toner jam" OR замятие -HP print* org:"Ромашка ООО" status:open';
    expect(formatSearch(parseSearch(typed))).toBe('"toner jam" OR замятие print* -HP org:"Ромашка ООО" status:open');
    expect(parseSearch(formatSearch(parseSearch(typed)))).toEqual(parseSearch(typed));
  });
});
