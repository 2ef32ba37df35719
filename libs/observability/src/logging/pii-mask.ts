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

/** Masks a value found under a PII or secret key, whatever its type. */
export function maskValue(value: unknown, key: string): unknown {
  if (typeof value !== 'string') return value === undefined || value === null ? value : '[redacted]';
  const name = key.toLowerCase();
  if (name.includes('email')) return maskEmail(value);
  if (name.includes('phone')) return maskPhone(value);
  return '[redacted]';
}
