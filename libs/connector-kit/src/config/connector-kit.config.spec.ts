import { ConfigError } from '@lead-delivery/config';
import { ConnectorKitConfig, deliverySettings, loadConnectorConfig } from './connector-kit.config';

const limits = { maxBatchSize: 100, callsPerWindow: 190, callWindowMs: 10_000 };

describe('connector configuration', () => {
  it("takes the connector's limits unless the environment lowers them", () => {
    const config = loadConnectorConfig(
      {},
      {
        KAFKA_BROKERS: 'k:9092',
        CONNECTOR_DATABASE_URL: 'postgres://connector@db:5432/ld',
        CONNECTOR_MAX_BATCH_SIZE: '50',
        CONNECTOR_CALLS_PER_WINDOW: '150',
      },
    );
    expect(deliverySettings(limits, config.connector)).toMatchObject({
      maxBatchSize: 50,
      callsPerWindow: 150,
      callWindowMs: 10_000,
      dailyAlertShare: 0.8,
      dailyThrottleShare: 0.95,
      maxAttempts: 8,
      recordMaxAttempts: 3,
    });
  });

  it('refuses a batch size above what the CRM accepts', () => {
    const config = Object.assign(new ConnectorKitConfig(), { CONNECTOR_MAX_BATCH_SIZE: 200 });
    expect(() => deliverySettings(limits, config)).toThrow(ConfigError);
    expect(() => deliverySettings(limits, config)).toThrow(/CONNECTOR_MAX_BATCH_SIZE: must be at most 100/);
  });

  it('refuses a daily alert share above the throttle share', () => {
    const config = Object.assign(new ConnectorKitConfig(), {
      CONNECTOR_DAILY_BUDGET_ALERT_SHARE: 0.9,
      CONNECTOR_DAILY_BUDGET_THROTTLE_SHARE: 0.85,
    });
    expect(() => deliverySettings(limits, config)).toThrow(
      /CONNECTOR_DAILY_BUDGET_ALERT_SHARE: must not exceed/,
    );
  });

  it('requires the connector store URL, and never prints it', () => {
    expect(() =>
      loadConnectorConfig({}, { KAFKA_BROKERS: 'k:9092', CONNECTOR_DATABASE_URL: 'mysql://u:hunter2@db/ld' }),
    ).toThrow(/CONNECTOR_DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() =>
      loadConnectorConfig({}, { KAFKA_BROKERS: 'k:9092', CONNECTOR_DATABASE_URL: 'mysql://u:hunter2@db/ld' }),
    ).not.toThrow(/hunter2/);
  });

  it("reports every bad variable at once, the app's own fragment included", () => {
    class AppConfig {}
    expect(() =>
      loadConnectorConfig(
        { app: AppConfig },
        { CONNECTOR_CALLS_PER_WINDOW: 'many', CONNECTOR_MAX_ATTEMPTS: '0' },
      ),
    ).toThrow(
      /CONNECTOR_CALLS_PER_WINDOW[\s\S]*CONNECTOR_MAX_ATTEMPTS[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*CONNECTOR/,
    );
  });
});
