import { externalIdLeadCopy, leadCopiesOf, markedLeadCopy } from './lead-copies';

const marker = (leadId: string, account: string) => `Realtor.com lead id: ${leadId} (account ${account})`;

describe('lead copies: the account lead a CRM record names', () => {
  it('reads the marker line among other lines, trimmed, at the given line break', () => {
    expect(markedLeadCopy(`Score 80\n  ${marker('L-1', 'acct-a')}\r\nadded by a user`)).toEqual({
      accountId: 'acct-a',
      leadId: 'L-1',
    });
    expect(markedLeadCopy(`Inquiry<br/>${marker('L 2 (x)', 'acct.b_1')}`, /<br\s*\/?>/)).toEqual({
      accountId: 'acct.b_1',
      leadId: 'L 2 (x)',
    });
  });

  it('names no lead for a text without a whole marker line, or no text', () => {
    expect(markedLeadCopy(`see ${marker('L-1', 'acct-a')}`)).toBeUndefined();
    expect(markedLeadCopy(marker('L-1', 'Acct A'))).toBeUndefined();
    expect(markedLeadCopy(`Inquiry<br>${marker('L-1', 'acct-a')}`)).toBeUndefined();
    expect(markedLeadCopy(undefined)).toBeUndefined();
    expect(markedLeadCopy(7)).toBeUndefined();
  });

  it('reads a per-lead upsert key `<account>:<lead id>`, and nothing else', () => {
    expect(externalIdLeadCopy('acct-a:L-1:x')).toEqual({ accountId: 'acct-a', leadId: 'L-1:x' });
    expect(externalIdLeadCopy('L-1')).toBeUndefined();
    expect(externalIdLeadCopy('Acct:L-1')).toBeUndefined();
    expect(externalIdLeadCopy(7)).toBeUndefined();
    expect(externalIdLeadCopy(null)).toBeUndefined();
  });

  it('lists one copy per record that names a lead, in order, duplicates included', () => {
    const texts = [marker('L-1', 'acct-a'), 'no marker', marker('L-1', 'acct-a'), marker('L-2', 'acct-b')];
    expect(leadCopiesOf(texts, (text) => markedLeadCopy(text))).toEqual([
      { accountId: 'acct-a', leadId: 'L-1' },
      { accountId: 'acct-a', leadId: 'L-1' },
      { accountId: 'acct-b', leadId: 'L-2' },
    ]);
  });
});
