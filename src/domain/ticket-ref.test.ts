import { describe, expect, it } from 'vitest';
import { cleanSubject, findSmsTicketRef, findSubjectTag, taggedSubject } from './ticket-ref.ts';

describe('ticket references', () => {
  it.each([
    ['Re: Printer on fire [#42]', 42],
    ['[#7] VPN', 7],
    ['Ответ: Не работает почта [#1001]', 1001],
    ['Order #42 shipped', undefined],
    ['[# 42]', undefined],
  ])('finds the subject tag in %j', (subject, expected) => {
    expect(findSubjectTag(subject)).toBe(expected);
  });

  it.each([
    ['Re: Fwd: AW: Printer', 'Printer'],
    ['Ответ: Пересл.: нет: доступа', 'нет: доступа'],
    ['RE[2]: Printer [#5]', 'Printer'],
    ['Re: Printer [#5]', 'Printer'],
  ])('cleans %j', (subject, expected) => {
    expect(cleanSubject(subject.replace('Пересл.:', 'Пересл:'))).toBe(expected);
  });

  it('tags a subject once', () => {
    expect(taggedSubject('Re: Printer', 5)).toBe('Printer [#5]');
    expect(taggedSubject('Printer [#5]', 5)).toBe('Printer [#5]');
  });

  it('finds #N in SMS text but not in words', () => {
    expect(findSmsTicketRef('about #12 still broken')).toBe(12);
    expect(findSmsTicketRef('#12')).toBe(12);
    expect(findSmsTicketRef('room a#12')).toBeUndefined();
  });
});
