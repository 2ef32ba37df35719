const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Key prefixes of the objects the sandbox knows. */
export const KEY_PREFIXES = {
  Lead: '00Q',
  Task: '00T',
  Note: '002',
  User: '005',
} as const;

/**
 * The 18-character form of a 15-character Salesforce id: each 5-character chunk adds one character
 * encoding which of its letters are upper case.
 */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const char = id15[chunk * 5 + i] ?? '';
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return id15 + suffix;
}

/** An 18-character id: key prefix, a pod marker, then the number in base 62. */
export function salesforceId(prefix: string, sequence: number): string {
  let digits = '';
  let rest = sequence;
  do {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return toId18(`${prefix}5e${digits.padStart(10, '0')}`);
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/** Ids compare in their 18-character form (the 15-character form is case-sensitive, the 18 is not). */
export function normalizeId(id: string): string | undefined {
  if (!ID_PATTERN.test(id)) return undefined;
  return id.length === 15 ? toId18(id) : toId18(id.slice(0, 15));
}
