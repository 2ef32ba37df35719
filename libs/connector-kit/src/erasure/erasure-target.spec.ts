import { ConnectorError } from '../connector/connector.error';
import type { ErasureCommand } from './crm-eraser';
import { erasureTargetOf } from './erasure-target';

interface AcmeAccount {
  id: string;
  credentials: { apiKey: string } | undefined;
}

const accounts = {
  of: (accountId: string): AcmeAccount => ({
    id: accountId,
    credentials: accountId === 'keyless' ? undefined : { apiKey: `key-of-${accountId}` },
  }),
};

const command = (accountId: string): ErasureCommand => ({
  erasureId: 'e-1',
  accountId,
  records: ['101', '101', null, '102'].map((crmRecordId, index) => ({
    leadId: `lead-${index + 1}`,
    crmRecordId,
  })),
});

describe('erasureTargetOf', () => {
  it("gives the account, its credentials, each CRM record once, the leads without one and the leads' refs", () => {
    expect(erasureTargetOf(command('acct-1'), accounts, 'no Acme key is configured')).toEqual({
      account: { id: 'acct-1', credentials: { apiKey: 'key-of-acct-1' } },
      credentials: { apiKey: 'key-of-acct-1' },
      recordIds: ['101', '102'],
      withoutRecord: 1,
      leads: ['lead-1', 'lead-2', 'lead-3', 'lead-4'].map((leadId) => ({ accountId: 'acct-1', leadId })),
    });
  });

  it('refuses an account without credentials as auth (retried until they are configured)', () => {
    const attempt = () => erasureTargetOf(command('keyless'), accounts, 'no Acme key is configured');
    expect(attempt).toThrow(new ConnectorError('auth', 'no Acme key is configured for account keyless'));
    expect(attempt).toThrow(expect.objectContaining({ kind: 'auth', retryable: true }));
  });

  it('has nothing to erase for a person none of whose leads reached the CRM', () => {
    const target = erasureTargetOf(
      { erasureId: 'e-2', accountId: 'acct-1', records: [{ leadId: 'lead-9', crmRecordId: null }] },
      accounts,
      'no Acme key is configured',
    );
    expect(target).toMatchObject({ recordIds: [], withoutRecord: 1 });
  });
});
