import { parseRetentionByAccount } from './contact-retention';

describe('parseRetentionByAccount', () => {
  it('reads account=days pairs', () => {
    const { days, problems } = parseRetentionByAccount(' acct-a=30, acct.b=365 ,');
    expect(problems).toEqual([]);
    expect([...days]).toEqual([
      ['acct-a', 30],
      ['acct.b', 365],
    ]);
  });

  it('reports each malformed pair, out-of-range days and repeated accounts', () => {
    expect(parseRetentionByAccount('acct-a=0,acct-b,acct-c=3651,acct-d=7,acct-d=8').problems).toEqual([
      '"acct-a=0" is not account=days with days from 1 to 3650',
      '"acct-b" is not account=days with days from 1 to 3650',
      '"acct-c=3651" is not account=days with days from 1 to 3650',
      'account "acct-d" is listed twice',
    ]);
  });
});
