import { PermanentRecordError, type ConsumedRecord } from '@lead-delivery/messaging';
import { decodeErasureRequest } from './erasure-request.decoder';

const recordOf = (value: unknown): ConsumedRecord =>
  ({
    topic: 'crm.erasure-requested.v1',
    partition: 0,
    offset: '7',
    key: Buffer.from('acct-1'),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    headers: {},
  }) as unknown as ConsumedRecord;

describe('decodeErasureRequest', () => {
  const request = {
    erasure_id: 'e-1',
    destination: 'hubspot',
    account_id: 'acct-1',
    records: [
      { lead_id: 'lead-1', crm_record_id: '101' },
      { lead_id: 'lead-2', crm_record_id: null },
    ],
    requested_at: '2026-12-05T12:00:00.000Z',
  };

  it('reads the destination and the command', () => {
    expect(decodeErasureRequest(recordOf(request))).toEqual({
      destination: 'hubspot',
      command: {
        erasureId: 'e-1',
        accountId: 'acct-1',
        records: [
          { leadId: 'lead-1', crmRecordId: '101' },
          { leadId: 'lead-2', crmRecordId: null },
        ],
      },
    });
  });

  it.each([
    ['not JSON', '{', 'value is not JSON'],
    ['no erasure id', { ...request, erasure_id: '' }, '/erasure_id is missing'],
    ['no account', { ...request, account_id: undefined }, '/account_id is missing'],
    ['records not a list', { ...request, records: {} }, '/records is not a list'],
    [
      'a record without lead id',
      { ...request, records: [{ crm_record_id: '1' }] },
      '/records/0/lead_id is missing',
    ],
    [
      'a record id of another type',
      { ...request, records: [{ lead_id: 'l', crm_record_id: 5 }] },
      '/records/0/crm_record_id is not a string',
    ],
  ])('refuses a request with %s as a permanent record failure', (_case, value, reason) => {
    const attempt = () => decodeErasureRequest(recordOf(value));
    expect(attempt).toThrow(PermanentRecordError);
    expect(attempt).toThrow(reason);
  });
});
