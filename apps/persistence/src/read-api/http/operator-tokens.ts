import { createHash, timingSafeEqual } from 'node:crypto';

/** `read`: leads, stats, dead letters (masked); `erase`: erasures; `replay`: replay dead letters; `pii`: dead letters unmasked. */
export const OPERATOR_SCOPES = ['read', 'erase', 'replay', 'pii'] as const;
export type OperatorScope = (typeof OPERATOR_SCOPES)[number];

/** One accepted token of an operator (or a tool): several entries may share a name during a rotation. */
export interface OperatorTokenEntry {
  name: string;
  /** SHA-256 of the token, 64 hex digits; the token itself is never configured. */
  sha256: string;
  scopes: OperatorScope[];
}

/** Who presented a token, and what it allows. */
export interface Operator {
  name: string;
  scopes: ReadonlySet<OperatorScope>;
}

export const sha256Of = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

const NAME = /^[a-z0-9][a-z0-9._@-]{0,62}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The problems of an OPERATOR_TOKENS value (a JSON array of entries), each with the entry it is about;
 * empty when it is valid. Never shows a hash: it identifies a secret.
 */
export function operatorTokenProblems(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    return ['must be a non-empty JSON array of {"name", "sha256", "scopes"}'];
  }
  const problems: string[] = [];
  const hashes = new Set<string>();
  value.forEach((entry: Partial<Record<keyof OperatorTokenEntry, unknown>> | null, index) => {
    const at = `[${index}]`;
    if (typeof entry !== 'object' || entry === null) return problems.push(`${at} must be an object`);
    const extra = Object.keys(entry).filter((key) => !['name', 'sha256', 'scopes'].includes(key));
    if (extra.length > 0) problems.push(`${at} has unknown members: ${extra.join(', ')}`);
    if (typeof entry.name !== 'string' || !NAME.test(entry.name)) {
      problems.push(`${at}.name must be a lowercase name (a-z, 0-9, . _ @ -)`);
    }
    if (typeof entry.sha256 !== 'string' || !HEX_SHA256.test(entry.sha256)) {
      problems.push(`${at}.sha256 must be the token's SHA-256 in 64 lowercase hex digits`);
    } else if (hashes.has(entry.sha256)) {
      problems.push(`${at}.sha256 is listed twice`);
    } else {
      hashes.add(entry.sha256);
    }
    const scopes = entry.scopes;
    if (
      !Array.isArray(scopes) ||
      scopes.length === 0 ||
      !scopes.every((scope) => (OPERATOR_SCOPES as readonly unknown[]).includes(scope))
    ) {
      problems.push(`${at}.scopes must be a non-empty list of ${OPERATOR_SCOPES.join(', ')}`);
    }
    return undefined;
  });
  return problems;
}

/** The configured operator tokens, matched in constant time. */
export class OperatorTokenStore {
  private readonly entries: Array<{ hash: Buffer; operator: Operator }>;

  constructor(entries: readonly OperatorTokenEntry[]) {
    this.entries = entries.map((entry) => ({
      hash: Buffer.from(entry.sha256, 'hex'),
      operator: { name: entry.name, scopes: new Set(entry.scopes) },
    }));
  }

  /**
   * The operator whose token this is, or undefined. Every entry is compared, and digests have one length
   * whatever the token's, so neither the token's content, its length nor its position in the list leaks.
   */
  authenticate(presented: string): Operator | undefined {
    const digest = sha256Of(presented);
    let found: Operator | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.hash)) found = entry.operator;
    }
    return found;
  }

  /** Whether any configured token is one of these (by SHA-256). */
  includesAny(hashes: readonly string[]): boolean {
    return this.entries.some((entry) => hashes.includes(entry.hash.toString('hex')));
  }
}
