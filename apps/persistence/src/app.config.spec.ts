import { ConfigError } from '@lead-delivery/config';
import { loadPersistenceConfig } from './app.config';
import { sha256Of } from './read-api/http/operator-tokens';

const tokensOf = (...tokens: string[]) =>
  JSON.stringify(
    tokens.map((token, index) => ({
      name: `operator-${index}`,
      sha256: sha256Of(token).toString('hex'),
      scopes: ['read', 'erase'],
    })),
  );

const REQUIRED = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://persistence:secret@127.0.0.1:5432/leads',
  OPERATOR_TOKENS: tokensOf('operator-token-0123456789abcdef'),
  ERASURE_HASH_KEY: 'erasure-hash-key-0123456789abcdef0123',
};

const problemsOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadPersistenceConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a configuration error');
};

describe('loadPersistenceConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadPersistenceConfig(REQUIRED).persistence).toMatchObject({
      READ_API_PORT: 3001,
      RETENTION_DAYS: 365,
      CONTACT_RETENTION_DAYS: 730,
      RETENTION_SWEEP_INTERVAL_MS: 3_600_000,
      ERASURE_POLL_INTERVAL_MS: 2_000,
      ERASURE_IDEMPOTENCY_WINDOW_HOURS: 24,
      DATABASE_MIGRATE_ON_START: true,
      CONSUMER_PARTITIONS_CONCURRENTLY: 3,
      CONSUMER_MAX_BATCH_RECORDS: 1_000,
      PHONE_DEFAULT_COUNTRY: 'US',
    });
  });

  it('reads typed values from the environment', () => {
    const config = loadPersistenceConfig({
      ...REQUIRED,
      RETENTION_DAYS: '30',
      CONTACT_RETENTION_DAYS_BY_ACCOUNT: 'acct-a=90',
      DATABASE_MIGRATE_ON_START: 'false',
      PHONE_DEFAULT_COUNTRY: 'CA',
    });
    expect(config.persistence).toMatchObject({
      RETENTION_DAYS: 30,
      CONTACT_RETENTION_DAYS_BY_ACCOUNT: 'acct-a=90',
      DATABASE_MIGRATE_ON_START: false,
      PHONE_DEFAULT_COUNTRY: 'CA',
      OPERATOR_TOKENS: [
        { name: 'operator-0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), scopes: ['read', 'erase'] },
      ],
    });
  });

  it('reports every problem at once, without showing a secret', () => {
    const problems = problemsOf({
      ...REQUIRED,
      OPERATOR_TOKENS: '[{"name":"ops","sha256":"short-secret","scopes":["read"]}]',
      ERASURE_HASH_KEY: 'short-key',
      RETENTION_DAYS: '0',
      CONTACT_RETENTION_DAYS_BY_ACCOUNT: 'acct-a=0',
      PHONE_DEFAULT_COUNTRY: 'XX',
    });
    expect(problems).toHaveLength(5);
    const text = problems.join('\n');
    expect(text).toMatch(
      /OPERATOR_TOKENS: \[0\]\.sha256 must be the token's SHA-256 .*\(got \(secret, not shown\)\)/,
    );
    expect(text).toMatch(/ERASURE_HASH_KEY: must be at least 32 characters long/);
    expect(text).toMatch(/CONTACT_RETENTION_DAYS_BY_ACCOUNT: "acct-a=0" is not account=days/);
    expect(text).not.toContain('short-secret');
    expect(text).not.toContain('short-key');
  });

  it('requires the operator tokens and the erasure hash key', () => {
    expect(problemsOf({ ...REQUIRED, OPERATOR_TOKENS: undefined }).join()).toMatch(/OPERATOR_TOKENS/);
    expect(problemsOf({ ...REQUIRED, OPERATOR_TOKENS: 'not json' }).join()).toMatch(/non-empty JSON array/);
    expect(problemsOf({ ...REQUIRED, ERASURE_HASH_KEY: undefined }).join()).toMatch(/ERASURE_HASH_KEY/);
  });

  it('refuses a token published in this repository in production, and only there', () => {
    const env = {
      ...REQUIRED,
      OPERATOR_TOKENS: tokensOf('another-token-0123456789', 'local-operator-token-change-me'),
    };
    expect(problemsOf({ ...env, NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^OPERATOR_TOKENS: lists a token published in this repository/),
    ]);
    expect(() => loadPersistenceConfig({ ...env, NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadPersistenceConfig({ ...REQUIRED, NODE_ENV: 'production' })).not.toThrow();
  });
});
