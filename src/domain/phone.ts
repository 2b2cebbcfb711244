// Phone numbers in one form, E.164 (+79123456789), whatever way people or providers write them.
import { AsYouType, parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js';

const E164 = /^\+[1-9]\d{4,14}$/;

/**
 * The E.164 form of a phone number, or undefined when the text is not one. National forms
 * ("8 912 345-67-89") need the default country; "+…" forms do not.
 */
export function toE164(input: string, defaultCountry?: string): string | undefined {
  const text = input.trim().replace(/^tel:/i, '');
  if (!text || /[a-z]/i.test(text.replace(/\s*(ext\.?|x)\s*\d+$/i, ''))) return undefined;
  const country = defaultCountry && isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  const parsed = parsePhoneNumberFromString(text, country);
  if (parsed?.isPossible()) return parsed.number;
  // A number the provider already wrote in E.164 is trusted even when the metadata does not
  // know its range yet (new ranges, small countries): refusing it would lose the message.
  const compact = text.replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}

/** A number for people to read: +7 912 345 67 89. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed?.isPossible() ? parsed.formatInternational() : e164;
}

/**
 * What to look for in stored (E.164) numbers when someone types a phone number or part of one: its
 * national digits, so "8 916 123", "+7 (916) 123" and "916-123" all find +79161234567. Undefined
 * when the text is not phone-like (letters) or too short to mean anything.
 */
export function phoneSearchDigits(input: string, defaultCountry?: string): string | undefined {
  const text = input.trim();
  if (!/^\+?[\d\s().-]+$/.test(text) || text.replace(/\D/g, '').length < 3) return undefined;
  const typed = new AsYouType(defaultCountry && isSupportedCountry(defaultCountry) ? (defaultCountry as CountryCode) : undefined);
  typed.input(text);
  return typed.getNationalNumber() || text.replace(/\D/g, '');
}
