import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SettingsProblems } from '../settings/settings-file';
import { loadRoutingRules } from './routing-rules.loader';

const dir = mkdtempSync(join(tmpdir(), 'routing-rules-'));
let files = 0;

function load(content: unknown) {
  const file = join(dir, `rules-${(files += 1)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  const problems = new SettingsProblems('ROUTING_RULES_FILE');
  const rules = loadRoutingRules(file, problems);
  return { rules, problems: problems.list };
}

describe('loadRoutingRules', () => {
  it('reads defaults and per-account rules, canonicalising states', () => {
    const { rules, problems } = load({
      default: { always: ['hubspot'] },
      accounts: {
        'acct-a': {
          always: ['hubspot'],
          rules: [
            { when: { tier: ['hot'] }, destinations: ['salesforce'] },
            { when: { role: ['seller'], state: ['texas', 'ok'] }, destinations: ['salesforce', 'pipedrive'] },
            { when: { kind: ['enhanced'], min_score: 80 }, destinations: ['follow_up-crm2'] },
            { destinations: ['hubspot'] },
          ],
        },
        'acct-b': {},
      },
    });
    expect(problems).toEqual([]);
    expect(rules.default).toEqual({ always: ['hubspot'], rules: [] });
    expect(rules.accounts.get('acct-a')).toEqual({
      always: ['hubspot'],
      rules: [
        { when: { tier: ['hot'] }, destinations: ['salesforce'] },
        { when: { role: ['seller'], state: ['TX', 'OK'] }, destinations: ['salesforce', 'pipedrive'] },
        { when: { kind: ['enhanced'], min_score: 80 }, destinations: ['follow_up-crm2'] },
        { when: {}, destinations: ['hubspot'] },
      ],
    });
    expect(rules.accounts.get('acct-b')).toEqual({ always: [], rules: [] });
  });

  it('routes nowhere by default when the file has no default', () => {
    expect(load({}).rules.default).toEqual({ always: [], rules: [] });
  });

  it('keeps an account named like an Object.prototype key as an ordinary account', () => {
    const { rules } = load('{ "accounts": { "__proto__": { "always": ["hubspot"] }, "constructor": {} } }');
    expect(rules.accounts.get('__proto__')).toEqual({ always: ['hubspot'], rules: [] });
    expect(rules.accounts.get('constructor')).toEqual({ always: [], rules: [] });
    expect(rules.accounts.get('toString')).toBeUndefined();
  });

  it.each<[string, unknown, string[]]>([
    ['a file that is not JSON', 'default: hubspot', ['ROUTING_RULES_FILE: (top level): cannot read']],
    ['an unknown top-level key', { account: {} }, ['ROUTING_RULES_FILE: account: is not a known setting']],
    ['accounts that are a list', { accounts: [] }, ['ROUTING_RULES_FILE: accounts: must be an object']],
    [
      'upper-case destination ids',
      { default: { always: ['HubSpot'] } },
      ['ROUTING_RULES_FILE: default.always[0]: must be a connector id (lower-case'],
    ],
    [
      'a rule without destinations',
      { accounts: { a: { rules: [{ when: { tier: ['hot'] } }] } } },
      [
        'ROUTING_RULES_FILE: accounts.a.rules[0].destinations: must be a non-empty array, each item a connector id',
      ],
    ],
    [
      'an unknown tier, role, kind and state',
      {
        accounts: {
          a: {
            rules: [
              {
                when: { tier: ['lukewarm'], role: ['renter'], kind: ['premium'], state: ['Ontario'] },
                destinations: ['hubspot'],
              },
            ],
          },
        },
      },
      [
        'accounts.a.rules[0].when.tier[0]: must be one of hot, warm, cold (got "lukewarm")',
        'accounts.a.rules[0].when.role[0]: must be one of buyer, seller (got "renter")',
        'accounts.a.rules[0].when.kind[0]: must be one of standard, enhanced (got "premium")',
        'accounts.a.rules[0].when.state[0]: must be a US state (two-letter code or name) (got "Ontario")',
      ],
    ],
    [
      'an unknown condition (a typo)',
      { default: { rules: [{ when: { teir: ['hot'] }, destinations: ['x'] }] } },
      [
        'default.rules[0].when.teir: is not a known setting (expected one of tier, role, state, kind, min_score)',
      ],
    ],
    [
      'an empty condition list',
      { default: { rules: [{ when: { tier: [] }, destinations: ['x'] }] } },
      ['default.rules[0].when.tier: must be a non-empty array, each item one of hot, warm, cold (got [])'],
    ],
    [
      'a min_score out of range',
      { default: { rules: [{ when: { min_score: 101 }, destinations: ['x'] }] } },
      ['default.rules[0].when.min_score: must be an integer from 0 to 100 (got 101)'],
    ],
    [
      'rules that are not a list',
      { default: { rules: { when: {} } } },
      ['default.rules: must be an array of rules'],
    ],
  ])('reports %s', (_case, content, expected) => {
    const { problems } = load(content);
    expect(problems).toHaveLength(expected.length);
    expected.forEach((problem, index) => expect(problems[index]).toContain(problem));
  });

  it('accepts the example of the local stack', () => {
    const problems = new SettingsProblems('ROUTING_RULES_FILE');
    const rules = loadRoutingRules(join(__dirname, '../../../../config/local/routing.json'), problems);
    expect(problems.list).toEqual([]);
    expect(rules.default.always).toEqual(['hubspot']);
  });
});
