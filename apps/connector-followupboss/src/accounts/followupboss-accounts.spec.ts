import { ConfigError } from '@lead-delivery/config';
import { accountsOf, writeAccountsFile } from '../../test/support/accounts';

describe('loadFollowupbossAccounts', () => {
  it('resolves an account against the file’s default and the env', () => {
    const file = writeAccountsFile({
      default: { systemKey: 'sys', eventTypes: { seller: 'General Inquiry' } },
      accounts: {
        team: { credentials: { apiKey: 'team-key' }, source: 'RDC Team', limits: { callsPerWindow: 100 } },
      },
    });
    const accounts = accountsOf({ FOLLOWUPBOSS_API_TOKEN: 'env-key', CONNECTOR_ACCOUNTS_FILE: file });
    expect(accounts.of('team')).toEqual({
      id: 'team',
      credentials: {
        baseUrl: 'https://api.followupboss.com',
        apiKey: 'team-key',
        system: 'LeadDeliveryPlatform',
        systemKey: 'sys',
      },
      source: 'RDC Team',
      eventTypes: {
        property: 'Property Inquiry',
        seller: 'General Inquiry',
        general: 'General Inquiry',
        registration: 'Registration',
      },
      limits: { callsPerWindow: 100 },
    });
    expect(accounts.of('other')).toMatchObject({ credentials: { apiKey: 'env-key' }, source: 'Realtor.com' });
  });

  it('lists every problem of the file, never a key', () => {
    const file = writeAccountsFile({
      accounts: {
        a: {
          credentials: { apiKey: 'secret-key' },
          eventTypes: { property: 'Viewed Property', rental: 'Registration' },
          colour: 'red',
          mapping: { fields: { stage: { const: 'Lead' } } },
          recordMode: 'per-lead',
        },
        b: { limits: { callsPerWindow: 10 } },
      },
    });
    let error: unknown;
    try {
      accountsOf({ CONNECTOR_ACCOUNTS_FILE: file });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/accounts\.a\.colour: is not a known setting/),
      expect.stringMatching(/accounts\.a\.recordMode: must be per-person: Follow Up Boss merges/),
      expect.stringMatching(/accounts\.a\.mapping\.fields\.stage: cannot be overridden/),
      expect.stringMatching(/accounts\.a\.eventTypes\.rental: is not a known setting/),
      expect.stringMatching(
        /accounts\.a\.eventTypes\.property: must be one of Property Inquiry, Seller Inquiry/,
      ),
      expect.stringMatching(/accounts\.b\.limits: are the API key's/),
    ]);
    expect(problems.join('\n')).not.toContain('secret-key');
  });

  it('needs an API key somewhere', () => {
    expect(() => accountsOf({})).toThrow(
      /Follow Up Boss credentials: none configured. Set FOLLOWUPBOSS_API_TOKEN, or give accounts an apiKey/,
    );
  });
});
