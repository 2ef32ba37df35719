import { RecentUpserts } from './recent-upserts';

describe('RecentUpserts', () => {
  const key = (email: string, properties: Record<string, string> = { lastname: 'Doe' }) =>
    RecentUpserts.keyOf('acct-1', email, properties);
  const contact = (contactId: string, noNotes = false) => ({ contactId, noNotes });

  it('knows a contact by account, email and the exact properties written, in any order', () => {
    const recent = new RecentUpserts();
    recent.set(RecentUpserts.keyOf('acct-1', 'a@example.com', { a: '1', b: '2' }), contact('101'), 0);
    expect(recent.get(RecentUpserts.keyOf('acct-1', 'a@example.com', { b: '2', a: '1' }), 1)).toEqual(
      contact('101'),
    );
    expect(recent.get(RecentUpserts.keyOf('acct-1', 'a@example.com', { a: '1', b: '3' }), 1)).toBeUndefined();
    expect(recent.get(RecentUpserts.keyOf('acct-2', 'a@example.com', { a: '1', b: '2' }), 1)).toBeUndefined();
  });

  it('forgets a contact after its time to live, or when told', () => {
    const recent = new RecentUpserts(1_000);
    recent.set(key('a@example.com'), contact('101'), 0);
    recent.set(key('b@example.com'), contact('102'), 0);
    expect(recent.get(key('a@example.com'), 1_000)).toEqual(contact('101'));
    expect(recent.get(key('a@example.com'), 1_001)).toBeUndefined();
    recent.delete(key('b@example.com'));
    expect(recent.get(key('b@example.com'), 1)).toBeUndefined();
  });

  it('keeps at most its maximum, dropping the oldest first', () => {
    const recent = new RecentUpserts(60_000, 2);
    recent.set(key('a@example.com'), contact('101'), 0);
    recent.set(key('b@example.com'), contact('102'), 1);
    recent.set(key('c@example.com'), contact('103'), 2);
    expect(recent.get(key('a@example.com'), 3)).toBeUndefined();
    expect(recent.get(key('b@example.com'), 3)).toEqual(contact('102'));
    expect(recent.get(key('c@example.com'), 3)).toEqual(contact('103'));
  });

  it('remembers that a created contact has no notes until a notes call may have reached HubSpot', () => {
    const recent = new RecentUpserts();
    recent.set(key('a@example.com'), contact('101', true), 0);
    expect(recent.get(key('a@example.com'), 1)).toEqual(contact('101', true));
    recent.notesMayExist(key('a@example.com'));
    recent.notesMayExist(key('unknown@example.com'));
    expect(recent.get(key('a@example.com'), 2)).toEqual(contact('101', false));
    expect(recent.get(key('unknown@example.com'), 2)).toBeUndefined();
  });
});
