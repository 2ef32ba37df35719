import { RecentLeads } from './recent-leads';

describe('RecentLeads', () => {
  const fields = { LastName: 'Rivera', Email: 'maria@example.com', Description: 'x'.repeat(2_000) };

  it('keys a Lead by account, key field and the exact fields written, in any order, as a short digest', () => {
    const key = RecentLeads.keyOf('acct-1', 'Realtor_Person_Key__c', fields);
    const reordered = { Description: fields.Description, Email: fields.Email, LastName: fields.LastName };
    expect(RecentLeads.keyOf('acct-1', 'Realtor_Person_Key__c', reordered)).toBe(key);
    expect(key).toHaveLength(43);
    expect(RecentLeads.keyOf('acct-2', 'Realtor_Person_Key__c', fields)).not.toBe(key);
    expect(RecentLeads.keyOf('acct-1', 'Realtor_Lead_Key__c', fields)).not.toBe(key);
    expect(RecentLeads.keyOf('acct-1', 'Realtor_Person_Key__c', { ...fields, LastName: 'Rivas' })).not.toBe(
      key,
    );
  });

  it('forgets a Lead after its time to live and the oldest beyond its size', () => {
    const recent = new RecentLeads(1_000, 2);
    recent.set('a', 'lead-a', 0);
    recent.set('b', 'lead-b', 0);
    expect(recent.get('a', 1_000)).toBe('lead-a');
    expect(recent.get('a', 1_001)).toBeUndefined();
    recent.set('c', 'lead-c', 0);
    recent.set('d', 'lead-d', 0);
    expect(recent.get('b', 0)).toBeUndefined();
    expect([recent.get('c', 0), recent.get('d', 0)]).toEqual(['lead-c', 'lead-d']);
  });
});
