import { ConfigError } from '@lead-delivery/config';
import { ConnectorKitConfig, deliverySettings, loadConnectorConfig } from './connector-kit.config';

const limits = { maxBatchSize: 100, requestsPerSecond: 19 };

describe('connector configuration', () => {
  it("takes the connector's limits unless the environment lowers them", () => {
    const config = loadConnectorConfig({}, { KAFKA_BROKERS: 'k:9092', CONNECTOR_MAX_BATCH_SIZE: '50' });
    expect(deliverySettings(limits, config.connector)).toMatchObject({
      maxBatchSize: 50,
      requestsPerSecond: 19,
      burst: 19,
      maxAttempts: 8,
      recordMaxAttempts: 3,
    });
  });

  it('refuses a batch size above what the CRM accepts', () => {
    const config = Object.assign(new ConnectorKitConfig(), { CONNECTOR_MAX_BATCH_SIZE: 200 });
    expect(() => deliverySettings(limits, config)).toThrow(ConfigError);
    expect(() => deliverySettings(limits, config)).toThrow(/CONNECTOR_MAX_BATCH_SIZE: must be at most 100/);
  });

  it("reports every bad variable at once, the app's own fragment included", () => {
    class AppConfig {}
    expect(() =>
      loadConnectorConfig({ app: AppConfig }, { CONNECTOR_BURST: 'many', CONNECTOR_MAX_ATTEMPTS: '0' }),
    ).toThrow(
      /CONNECTOR_BURST[\s\S]*CONNECTOR_MAX_ATTEMPTS[\s\S]*KAFKA_BROKERS|KAFKA_BROKERS[\s\S]*CONNECTOR/,
    );
  });
});
