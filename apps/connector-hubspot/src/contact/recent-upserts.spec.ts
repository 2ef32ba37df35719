import { RecentUpserts } from './recent-upserts';

describe('RecentUpserts', () => {
  const key = (email: string, properties: Record<string, string> = { lastname: 'Doe' }) =>
    RecentUpserts.keyOf('acct-1', email, properties);

  it('knows a contact by account, email and the exact properties written, in any order', () => {
    const recent = new RecentUpserts();
    recent.set(RecentUpserts.keyOf('acct-1', 'a@example.com', { a: '1', b: '2' }), '101', 0);
    expect(recent.get(RecentUpserts.keyOf('acct-1', 'a@example.com', { b: '2', a: '1' }), 1)).toBe('101');
    expect(recent.get(RecentUpserts.keyOf('acct-1', 'a@example.com', { a: '1', b: '3' }), 1)).toBeUndefined();
    expect(recent.get(RecentUpserts.keyOf('acct-2', 'a@example.com', { a: '1', b: '2' }), 1)).toBeUndefined();
  });

  it('forgets a contact after its time to live, or when told', () => {
    const recent = new RecentUpserts(1_000);
    recent.set(key('a@example.com'), '101', 0);
    recent.set(key('b@example.com'), '102', 0);
    expect(recent.get(key('a@example.com'), 1_000)).toBe('101');
    expect(recent.get(key('a@example.com'), 1_001)).toBeUndefined();
    recent.delete(key('b@example.com'));
    expect(recent.get(key('b@example.com'), 1)).toBeUndefined();
  });

  it('keeps at most its maximum, dropping the oldest first', () => {
    const recent = new RecentUpserts(60_000, 2);
    recent.set(key('a@example.com'), '101', 0);
    recent.set(key('b@example.com'), '102', 1);
    recent.set(key('c@example.com'), '103', 2);
    expect(recent.get(key('a@example.com'), 3)).toBeUndefined();
    expect(recent.get(key('b@example.com'), 3)).toBe('102');
    expect(recent.get(key('c@example.com'), 3)).toBe('103');
  });
});
