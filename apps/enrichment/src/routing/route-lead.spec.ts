import { routeLead } from './route-lead';
import type { RoutingFacts, RoutingRules } from './routing-rules';

const RULES: RoutingRules = {
  default: { always: ['hubspot'], rules: [{ when: { tier: ['hot'] }, destinations: ['salesforce'] }] },
  accounts: new Map([
    [
      'acct-a',
      {
        always: ['hubspot'],
        rules: [
          { when: { tier: ['hot'] }, destinations: ['salesforce'] },
          { when: { role: ['seller'], state: ['TX'] }, destinations: ['salesforce', 'pipedrive'] },
        ],
      },
    ],
    [
      'acct-b',
      { always: [], rules: [{ when: { kind: ['enhanced'], min_score: 80 }, destinations: ['salesforce'] }] },
    ],
    ['acct-muted', { always: [], rules: [] }],
  ]),
};

function route(facts: Partial<RoutingFacts> & { accountId: string }): string[] {
  return routeLead({ tier: 'cold', score: 30, role: 'buyer', kind: 'standard', ...facts }, RULES);
}

describe('routeLead', () => {
  it.each<[string, Parameters<typeof route>[0], string[]]>([
    ['a cold lead of acct-a: only its always list', { accountId: 'acct-a', tier: 'cold' }, ['hubspot']],
    ['a hot lead of acct-a: hot rule too', { accountId: 'acct-a', tier: 'hot' }, ['hubspot', 'salesforce']],
    [
      'a Texas seller of acct-a: the role+state rule',
      { accountId: 'acct-a', role: 'seller', state: 'TX' },
      ['hubspot', 'salesforce', 'pipedrive'],
    ],
    [
      'an Oklahoma seller of acct-a: not the Texas rule',
      { accountId: 'acct-a', role: 'seller', state: 'OK' },
      ['hubspot'],
    ],
    ['a seller of acct-a with no known state', { accountId: 'acct-a', role: 'seller' }, ['hubspot']],
    [
      'a hot Texas seller of acct-a: each destination once',
      { accountId: 'acct-a', tier: 'hot', role: 'seller', state: 'TX' },
      ['hubspot', 'salesforce', 'pipedrive'],
    ],
    [
      'an enhanced lead scoring 80 at acct-b',
      { accountId: 'acct-b', kind: 'enhanced', score: 80 },
      ['salesforce'],
    ],
    ['an enhanced lead scoring 79 at acct-b', { accountId: 'acct-b', kind: 'enhanced', score: 79 }, []],
    ['a standard lead scoring 95 at acct-b', { accountId: 'acct-b', kind: 'standard', score: 95 }, []],
    ['any lead of acct-muted: nowhere', { accountId: 'acct-muted', tier: 'hot' }, []],
    ['a lead of an account without rules: the default', { accountId: 'acct-unknown' }, ['hubspot']],
    [
      'a hot lead of an account without rules',
      { accountId: 'acct-unknown', tier: 'hot' },
      ['hubspot', 'salesforce'],
    ],
  ])('%s', (_case, facts, expected) => {
    expect(route(facts)).toEqual(expected);
  });
});
