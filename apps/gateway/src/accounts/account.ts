import type { SignatureAlgorithm } from '@lead-delivery/contracts';
import type { KeyObject } from 'node:crypto';
import type { SignatureMode } from './accounts-file.dto';

/** An agent, broker or office allowed to post leads, as the gateway uses it. */
export interface Account {
  id: string;
  enabled: boolean;
  /** SHA-256 hex digests of its API keys (several during a rotation). */
  apiKeyHashes: string[];
  signature:
    | { mode: 'off' }
    | { mode: Exclude<SignatureMode, 'off'>; algorithm: SignatureAlgorithm; keys: Array<string | KeyObject> };
  rateLimit: { requestsPerSecond: number; burst: number };
}
