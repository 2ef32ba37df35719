import { createHash, timingSafeEqual } from 'node:crypto';
import type { Account } from './account';

/** Finds the account of an API key. Every stored hash is compared, in constant time, on every lookup. */
export class AccountDirectory {
  constructor(private readonly accounts: readonly Account[]) {}

  findByApiKey(apiKey: string): Account | undefined {
    const presented = createHash('sha256').update(apiKey, 'utf8').digest();
    let found: Account | undefined;
    for (const account of this.accounts) {
      for (const hash of account.apiKeyHashes) {
        // No early exit: the time taken does not depend on which key (if any) matched.
        if (timingSafeEqual(hash, presented) && !found) found = account;
      }
    }
    return found;
  }
}
