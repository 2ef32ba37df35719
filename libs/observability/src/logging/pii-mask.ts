/** `jane.doe@example.com` → `j***@e***.com`: enough to tell leads apart in logs, not enough to contact anyone. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}

/** `(512) 555-0142` → `***42`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 2 ? `***${digits.slice(-2)}` : '***';
}

const PII_KEYS = new Set(['email', 'phone', 'phone_e164']);
const SECRET_KEYS = new Set([
  'password',
  'token',
  'accesstoken',
  'access_token',
  'refresh_token',
  'secret',
  'client_secret',
  'apikey',
  'api_key',
  'x-api-key',
  'digital_signature',
  'authorization',
]);
const MAX_DEPTH = 8;

/** Masks a value found under a PII or secret key, whatever its type. */
export function maskValue(value: unknown, key: string): unknown {
  if (typeof value !== 'string') return value === undefined || value === null ? value : '[redacted]';
  const name = key.toLowerCase();
  if (name.includes('email')) return maskEmail(value);
  if (name.includes('phone')) return maskPhone(value);
  return '[redacted]';
}

function isSensitive(key: string): boolean {
  const name = key.toLowerCase();
  return PII_KEYS.has(name) || SECRET_KEYS.has(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of `value` with PII (email, phone) masked and secrets redacted under their keys, at any depth
 * of plain objects and arrays. Other objects (errors, requests) are left to their serializers.
 */
export function maskSensitive(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => maskSensitive(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    masked[key] = isSensitive(key) ? maskValue(item, key) : maskSensitive(item, depth + 1);
  }
  return masked;
}
