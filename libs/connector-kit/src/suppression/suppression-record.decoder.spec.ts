import type { ConsumedRecord } from '@lead-delivery/messaging';
import { decodeSuppression } from './suppression-record.decoder';

const recordOf = (value: string | null): ConsumedRecord => ({
  topic: 'identities.suppressed.v1',
  partition: 0,
  offset: '7',
  key: null,
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: '0',
});

describe('decodeSuppression', () => {
  const suppression = {
    identity_hash: 'a1b2',
    kind: 'email',
    account_id: null,
    erasure_id: 'e-1',
    suppressed_until: '2027-01-01T00:00:00Z',
  };

  it('reads a suppression of one account or of every account', () => {
    expect(decodeSuppression(recordOf(JSON.stringify(suppression)))).toEqual(suppression);
    const scoped = { ...suppression, kind: 'phone', account_id: 'acct-1' };
    expect(decodeSuppression(recordOf(JSON.stringify({ ...scoped, extra: 1 })))).toEqual(scoped);
  });

  it.each([
    [null, 'empty value'],
    ['not json', 'value is not JSON'],
    ['[1]', 'value is not an object'],
    [JSON.stringify({ ...suppression, identity_hash: '' }), '/identity_hash is missing'],
    [JSON.stringify({ ...suppression, kind: 'name' }), '/kind is neither email nor phone'],
    [JSON.stringify({ ...suppression, account_id: undefined }), '/account_id is neither an account nor null'],
    [JSON.stringify({ ...suppression, erasure_id: 3 }), '/erasure_id is missing'],
    [JSON.stringify({ ...suppression, suppressed_until: 'soon' }), '/suppressed_until is not a date'],
  ])('refuses %s: %s', (value, reason) => {
    expect(() => decodeSuppression(recordOf(value))).toThrow(expect.objectContaining({ reason }));
  });
});
