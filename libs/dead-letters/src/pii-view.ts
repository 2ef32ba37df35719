import { scrubPii } from '@lead-delivery/connector-kit/records';
import { maskEmail, maskPhone } from '@lead-delivery/observability';

const NAME_KEYS = new Set(['first_name', 'last_name', 'full_name', 'name']);
const HIDDEN_KEYS = new Set(['address', 'street', 'message', 'digital_signature']);

/**
 * A lead event with its personal data masked, for operators' screens: emails and phones keep a hint
 * (`j***@e***.com`, `***42`), names their initial; addresses and free-text messages are hidden, and
 * emails or phones inside other strings are masked.
 */
export function maskPii(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => maskPii(item, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, maskPii(inner, name)]));
  }
  if (typeof value !== 'string') return value;
  const name = key.toLowerCase();
  if (name.includes('email')) return maskEmail(value);
  if (name.includes('phone')) return maskPhone(value);
  if (name === 'person_key') return value.includes('@') ? maskEmail(value) : maskPhone(value);
  if (NAME_KEYS.has(name)) return value.length > 0 ? `${value[0]}***` : value;
  if (HIDDEN_KEYS.has(name)) return `[${value.length} characters hidden]`;
  return scrubPii(value);
}
