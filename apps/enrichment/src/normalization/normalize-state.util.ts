import { US_STATES } from './us-states.constant';

const CODES = new Set(Object.values(US_STATES));
const ALIASES: Readonly<Record<string, string>> = {
  'washington dc': 'DC',
  'washington d c': 'DC',
  'd c': 'DC',
};

/**
 * The USPS two-letter code of a US state or territory, from its code in any case (`tx`) or its name
 * (`Texas`, `new  york`, `District of Columbia`); `undefined` when it is neither.
 */
export function normalizeState(state: string | undefined): string | undefined {
  const text = state?.normalize('NFC').trim().toLowerCase().replace(/[.,]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const code = text.toUpperCase();
  if (CODES.has(code)) return code;
  return US_STATES[text] ?? ALIASES[text];
}
