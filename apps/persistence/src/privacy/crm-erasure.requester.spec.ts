import { crmErasureRequests } from './crm-erasure.requester';
import { suppressionsOf } from './suppression-announcer';

describe('crmErasureRequests', () => {
  it('asks once per account of the place, with lead and CRM record ids only', () => {
    const requestedAt = new Date('2026-12-05T12:00:00Z');
    expect(
      crmErasureRequests({
        erasure_id: 'e-1',
        place: 'crm:salesforce',
        requested_at: requestedAt,
        records: [
          { account_id: 'acct-a', lead_id: 'l-1', crm_record_id: '00Q1' },
          { account_id: 'acct-b', lead_id: 'l-2', crm_record_id: null },
          { account_id: 'acct-a', lead_id: 'l-3', crm_record_id: '00Q1' },
        ],
      }),
    ).toEqual([
      {
        erasure_id: 'e-1',
        destination: 'salesforce',
        account_id: 'acct-a',
        records: [
          { lead_id: 'l-1', crm_record_id: '00Q1' },
          { lead_id: 'l-3', crm_record_id: '00Q1' },
        ],
        requested_at: '2026-12-05T12:00:00.000Z',
      },
      {
        erasure_id: 'e-1',
        destination: 'salesforce',
        account_id: 'acct-b',
        records: [{ lead_id: 'l-2', crm_record_id: null }],
        requested_at: '2026-12-05T12:00:00.000Z',
      },
    ]);
  });
});

describe('suppressionsOf', () => {
  it('announces each hash the erasure recorded, for its account or every account', () => {
    const until = new Date('2027-01-19T12:00:00Z');
    expect(
      suppressionsOf({ erasureId: 'e-1', emailHash: 'h-e', phoneHash: null, accountId: null }, until),
    ).toEqual([
      {
        identity_hash: 'h-e',
        kind: 'email',
        account_id: null,
        erasure_id: 'e-1',
        suppressed_until: until.toISOString(),
      },
    ]);
    expect(
      suppressionsOf(
        { erasureId: 'e-2', emailHash: 'h-e', phoneHash: 'h-p', accountId: 'acct-a' },
        until,
      ).map((suppression) => [suppression.kind, suppression.account_id]),
    ).toEqual([
      ['email', 'acct-a'],
      ['phone', 'acct-a'],
    ]);
  });
});
