import { RecentWrites } from './recent-writes';

describe('RecentWrites', () => {
  const fields = { LastName: 'Rivera', Email: 'maria@example.com', Description: 'x'.repeat(2_000) };
  const key = (identity: string) => RecentWrites.keyOf('acct-1', identity, { lastname: 'Doe' });
  const contact = (contactId: string, noNotes = false) => ({ contactId, noNotes });
  // lru-cache takes a start time of 0 for "no time to live": the clock starts later.
  const start = 60_000;

  it('keys a write by account, identity and the exact fields written, in any order, as a short digest', () => {
    const written = RecentWrites.keyOf('acct-1', 'Realtor_Person_Key__c', fields);
    const reordered = { Description: fields.Description, Email: fields.Email, LastName: fields.LastName };
    expect(written).toHaveLength(43);
    expect(RecentWrites.keyOf('acct-1', 'Realtor_Person_Key__c', reordered)).toBe(written);
    expect(RecentWrites.keyOf('acct-2', 'Realtor_Person_Key__c', fields)).not.toBe(written);
    expect(RecentWrites.keyOf('acct-1', 'Realtor_Lead_Key__c', fields)).not.toBe(written);
    expect(RecentWrites.keyOf('acct-1', 'Realtor_Person_Key__c', { ...fields, LastName: 'Rivas' })).not.toBe(
      written,
    );
    expect(RecentWrites.keyOf('acct-1', 'Realtor_Person_Key__c', { ...fields, Phone: '' })).not.toBe(written);
  });

  it('knows an entry by the key of the same write, whatever the order of its fields', () => {
    const recent = new RecentWrites<string>();
    recent.set(RecentWrites.keyOf('acct-1', 'a@example.com', { a: '1', b: '2' }), '101');
    expect(recent.get(RecentWrites.keyOf('acct-1', 'a@example.com', { b: '2', a: '1' }))).toBe('101');
    expect(recent.get(RecentWrites.keyOf('acct-1', 'a@example.com', { a: '1', b: '3' }))).toBeUndefined();
    expect(recent.get(RecentWrites.keyOf('acct-2', 'a@example.com', { a: '1', b: '2' }))).toBeUndefined();
  });

  it('forgets an entry after its time to live, or when told', () => {
    let now = start;
    const recent = new RecentWrites<string>({ ttlMs: 1_000, now: () => now });
    recent.set(key('a@example.com'), 'lead-a');
    now = start + 1_000;
    recent.set(key('b@example.com'), 'lead-b');
    expect(recent.get(key('a@example.com'))).toBe('lead-a');
    now = start + 1_001;
    expect(recent.get(key('a@example.com'))).toBeUndefined();
    expect(recent.get(key('b@example.com'))).toBe('lead-b');
    recent.delete(key('b@example.com'));
    expect(recent.get(key('b@example.com'))).toBeUndefined();
  });

  it('keeps at most its maximum, dropping the least recently set or read first', () => {
    const recent = new RecentWrites<string>({ maxEntries: 2 });
    recent.set(key('a@example.com'), 'lead-a');
    recent.set(key('b@example.com'), 'lead-b');
    recent.set(key('c@example.com'), 'lead-c');
    expect(recent.get(key('a@example.com'))).toBeUndefined();
    expect(recent.get(key('b@example.com'))).toBe('lead-b');
    expect(recent.get(key('c@example.com'))).toBe('lead-c');
    recent.get(key('b@example.com'));
    recent.set(key('d@example.com'), 'lead-d');
    expect(recent.get(key('c@example.com'))).toBeUndefined();
    expect([recent.get(key('b@example.com')), recent.get(key('d@example.com'))]).toEqual([
      'lead-b',
      'lead-d',
    ]);
  });

  it("updates a live entry in place, as HubSpot's contact once a notes call may have reached it", () => {
    let now = start;
    const recent = new RecentWrites<{ contactId: string; noNotes: boolean }>({
      ttlMs: 1_000,
      now: () => now,
    });
    const notesMayExist = (at: string) => recent.update(at, (known) => ({ ...known, noNotes: false }));
    recent.set(key('a@example.com'), contact('101', true));
    expect(recent.get(key('a@example.com'))).toEqual(contact('101', true));
    now = start + 600;
    notesMayExist(key('a@example.com'));
    notesMayExist(key('unknown@example.com'));
    expect(recent.get(key('a@example.com'))).toEqual(contact('101', false));
    expect(recent.get(key('unknown@example.com'))).toBeUndefined();
    // The update did not restart the entry's time to live.
    now = start + 1_001;
    expect(recent.get(key('a@example.com'))).toBeUndefined();
  });
});
