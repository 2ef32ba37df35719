import { createHmac } from 'node:crypto';

/**
 * Erased identities are recorded as HMAC-SHA256 under a secret key, never in clear: the record proves which
 * erasure covered an identity someone presents again, without listing the people who asked to be forgotten.
 * The key keeps the hash from being reversed by hashing every email of a list.
 */
export class IdentityHasher {
  constructor(private readonly key: string) {}

  /** Of a normalised (lower-case, trimmed) email. */
  email(email: string): string {
    return this.hash(`email:${email}`);
  }

  /** Of an E.164 phone number. */
  phone(phoneE164: string): string {
    return this.hash(`phone:${phoneE164}`);
  }

  private hash(text: string): string {
    return createHmac('sha256', this.key).update(text, 'utf8').digest('hex');
  }
}
