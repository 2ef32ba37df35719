import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * What an operator typed in the search box, as the stored values it can match: always a lead id; an email
 * (stored lower-case); a phone number in any format (stored as E.164).
 */
export function searchOf(text: string, defaultCountry: CountryCode) {
  const term = text.trim();
  const email = term.includes('@') ? term.toLowerCase() : undefined;
  const phone = email === undefined ? parsePhoneNumberFromString(term, defaultCountry) : undefined;
  return {
    leadId: term,
    ...(email !== undefined ? { email } : {}),
    ...(phone?.isValid() ? { phoneE164: phone.number } : {}),
  };
}
