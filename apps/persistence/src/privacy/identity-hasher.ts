import { identityHash } from '@lead-delivery/contracts';

/**
 * Erased identities are recorded as HMAC-SHA256 under a secret key, never in clear (contracts'
 * identityHash, which connectors use to recognise suppressed leads): the record proves which erasure
 * covered an identity someone presents again, without listing the people who asked to be forgotten.
 */
export class IdentityHasher {
  constructor(private readonly key: string) {}

  /** Of a normalised (lower-case, trimmed) email. */
  email(email: string): string {
    return identityHash(this.key, 'email', email);
  }

  /** Of an E.164 phone number. */
  phone(phoneE164: string): string {
    return identityHash(this.key, 'phone', phoneE164);
  }
}
