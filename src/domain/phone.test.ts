import { describe, expect, it } from 'vitest';
import { formatPhone, phoneSearchDigits, toE164 } from './phone.ts';

describe('toE164', () => {
  it('keeps international numbers and normalises their spelling', () => {
    expect(toE164('+7 912 345-67-89')).toBe('+79123456789');
    expect(toE164('+1 (415) 555-0123')).toBe('+14155550123');
    expect(toE164('tel:+441632960961')).toBe('+441632960961');
  });

  it('reads national forms with the default country only', () => {
    expect(toE164('8 (912) 345-67-89', 'RU')).toBe('+79123456789');
    expect(toE164('415 555 0123', 'US')).toBe('+14155550123');
    expect(toE164('8 (912) 345-67-89')).toBeUndefined();
    expect(toE164('8 (912) 345-67-89', 'XX')).toBeUndefined();
  });

  it('trusts a provider-written E.164 number the metadata does not know', () => {
    expect(toE164('+12345')).toBe('+12345');
  });

  it('refuses sender names, short codes and garbage', () => {
    expect(toE164('MyBank')).toBeUndefined();
    expect(toE164('12345')).toBeUndefined();
    expect(toE164('whatsapp:+14155550123')).toBeUndefined();
    expect(toE164('')).toBeUndefined();
    expect(toE164('+0123456')).toBeUndefined();
  });
});

it('formats numbers for reading', () => {
  expect(formatPhone('+79123456789')).toBe('+7 912 345 67 89');
  expect(formatPhone('+12345')).toBe('+12345');
});

describe('phone search', () => {
  it('looks for the national digits of whatever part of a number was typed', () => {
    expect(phoneSearchDigits('8 916 123', 'RU')).toBe('916123');
    expect(phoneSearchDigits('+7 (916) 123', 'RU')).toBe('916123');
    expect(phoneSearchDigits('+7 916 123', undefined)).toBe('916123');
    expect(phoneSearchDigits('916-12', 'RU')).toBe('91612');
    expect(phoneSearchDigits('020 7946', 'GB')).toBe('207946');
    expect(phoneSearchDigits('1234567', undefined)).toBe('1234567');
  });
  it('is nothing for names, addresses and two digits', () => {
    expect(phoneSearchDigits('Anna', 'RU')).toBeUndefined();
    expect(phoneSearchDigits('anna@example.com', 'RU')).toBeUndefined();
    expect(phoneSearchDigits('12', 'RU')).toBeUndefined();
    expect(phoneSearchDigits('room 214', 'RU')).toBeUndefined();
  });
});
