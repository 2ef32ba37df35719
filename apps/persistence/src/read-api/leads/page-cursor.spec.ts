import { decodeCursor, encodeCursor } from './page-cursor';

describe('page cursors', () => {
  it('round-trips the position of the last lead of a page', () => {
    const cursor = {
      leadTimestamp: new Date('2026-01-31T17:04:05.123Z'),
      leadId: 'lead/ü-1',
      accountId: 'acct-austin',
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'not base64 at all!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["soon","x"]').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["2026-01-31T17:04:05.123Z","lead-1"]').toString('base64url'),
    Buffer.from('["2026-01-31T17:04:05.123Z","lead-1",7]').toString('base64url'),
  ])('rejects %j', (text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
