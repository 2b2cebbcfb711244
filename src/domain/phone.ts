// Phone numbers in one form, E.164 (+79123456789), whatever way people or providers write them.
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js';

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
