import { sha256Of } from './operator-tokens';

/**
 * Operator tokens printed in this repository (config/local, the local stack, docker/compose.yaml, the dev
 * overlay): anyone can read them, so a production service refuses to start with any of them.
 */
export const PUBLISHED_OPERATOR_TOKENS = [
  'local-operator-token-change-me',
  'compose-operator-token-change-me',
  'dev-operator-token-change-me-0000',
] as const;

export const PUBLISHED_OPERATOR_TOKEN_HASHES: readonly string[] = PUBLISHED_OPERATOR_TOKENS.map((token) =>
  sha256Of(token).toString('hex'),
);
