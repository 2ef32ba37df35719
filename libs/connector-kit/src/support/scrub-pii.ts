import { maskEmail, maskPhone } from '@lead-delivery/observability';

const EMAIL = /[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+\.[a-z]{2,}/gi;
// 10 to 15 digits with the usual separators: phone numbers, not dates or ids.
const PHONE = /(?<![\w-])[+(]?(?:\d[\s().-]{0,2}){9,14}\d(?![\w-])/g;

/**
 * Masks emails and phone numbers inside free text: CRM error messages often echo the rejected value, and
 * they end up in logs, DLQ listings and delivery events' `error`.
 */
export function scrubPii(text: string): string {
  return text.replace(EMAIL, (email) => maskEmail(email)).replace(PHONE, (phone) => maskPhone(phone));
}
