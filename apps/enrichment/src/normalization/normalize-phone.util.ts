import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The E.164 form of a phone number (`(512) 555-0142` → `+15125550142`), read as a US number unless it
 * carries a country code; `undefined` when it is not a valid number. Extensions are dropped.
 */
export function normalizePhone(phone: string | undefined): string | undefined {
  const text = phone?.trim();
  if (!text) return undefined;
  // `00` is the international prefix outside North America; a US reading of it is never valid.
  return valid(text) ?? (text.startsWith('00') ? valid(`+${text.slice(2)}`) : undefined);
}

function valid(text: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: 'US' });
  return parsed?.isValid() ? parsed.number : undefined;
}
