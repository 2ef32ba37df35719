import { ConfigError } from '@lead-delivery/config';
import { loadPersistenceConfig } from './app.config';

const REQUIRED = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  DATABASE_URL: 'postgres://persistence:secret@127.0.0.1:5432/leads',
  OPERATOR_TOKEN: 'operator-token-0123456789abcdef',
};

describe('loadPersistenceConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadPersistenceConfig(REQUIRED).persistence).toMatchObject({
      READ_API_PORT: 3001,
      RETENTION_DAYS: 365,
      RETENTION_SWEEP_INTERVAL_MS: 3_600_000,
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
      DATABASE_MIGRATE_ON_START: 'false',
      PHONE_DEFAULT_COUNTRY: 'CA',
    });
    expect(config.persistence).toMatchObject({
      RETENTION_DAYS: 30,
      DATABASE_MIGRATE_ON_START: false,
      PHONE_DEFAULT_COUNTRY: 'CA',
    });
  });

  it('reports every problem at once, without showing the operator token', () => {
    let error: unknown;
    try {
      loadPersistenceConfig({
        ...REQUIRED,
        OPERATOR_TOKEN: 'short-secret',
        RETENTION_DAYS: '0',
        PHONE_DEFAULT_COUNTRY: 'XX',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(
      /OPERATOR_TOKEN: must be at least 24 characters long \(got \(secret, not shown\)\)/,
    );
    expect(problems.join('\n')).not.toContain('short-secret');
  });

  it('requires the operator token', () => {
    expect(() => loadPersistenceConfig({ ...REQUIRED, OPERATOR_TOKEN: undefined })).toThrow(/OPERATOR_TOKEN/);
  });
});
