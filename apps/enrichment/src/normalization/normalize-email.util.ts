/** Email addresses are compared case-insensitively in practice, so the lower-cased form identifies a person. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
