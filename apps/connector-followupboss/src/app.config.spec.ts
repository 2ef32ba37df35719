import { ConfigError } from '@lead-delivery/config';
import { loadFollowupbossConfig } from './app.config';

const ENV = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  CONNECTOR_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/lead_delivery',
  FOLLOWUPBOSS_API_TOKEN: 'fub-key-0123456789',
};

describe('loadFollowupbossConfig', () => {
  it('reads the Follow Up Boss settings with the kit’s, and the accounts', () => {
    const config = loadFollowupbossConfig(ENV);
    expect(config.followupboss).toMatchObject({
      FOLLOWUPBOSS_BASE_URL: 'https://api.followupboss.com',
      FOLLOWUPBOSS_SYSTEM: 'LeadDeliveryPlatform',
      FOLLOWUPBOSS_SOURCE: 'Realtor.com',
      FOLLOWUPBOSS_REQUEST_TIMEOUT_MS: 30_000,
    });
    expect(config.accounts.of('any').credentials?.apiKey).toBe('fub-key-0123456789');
    expect(config.connector.CONNECTOR_MAX_ATTEMPTS).toBe(8);
  });

  it('reports every problem at once, without showing a key', () => {
    let error: unknown;
    try {
      loadFollowupbossConfig({ ...ENV, FOLLOWUPBOSS_BASE_URL: 'not a url', FOLLOWUPBOSS_SYSTEM: '' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(/^FOLLOWUPBOSS_BASE_URL: /),
      expect.stringMatching(/^FOLLOWUPBOSS_SYSTEM: /),
    ]);
    expect((error as ConfigError).problems.join('\n')).not.toContain('fub-key');
  });
});
