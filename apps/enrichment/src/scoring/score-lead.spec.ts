import { parseLead, type FieldWarning, type Lead, type ScoreReason } from '@lead-delivery/contracts';
import { anEnhancedLead, specGeneratedLeads } from '@lead-delivery/testing';
import { normalizeLead } from '../normalization/normalize-lead';
import { scoreLead, type LeadScore } from './score-lead';
import { DEFAULT_SCORING_MODEL, type ScoringModel } from './scoring-model';

const RECEIVED_AT = new Date('2026-03-02T15:00:00.000Z');
const HOUR_AGO = '2026-03-02T14:00:00.000Z';

/** A lead with nothing but the required fields, an hour old: it scores the base and nothing else. */
function bareLead(overrides: Partial<Lead> = {}): Lead {
  return { lead_id: 'lead-1', timestamp: HOUR_AGO, contact: { email: 'sam@example.com' }, ...overrides };
}

function score(
  lead: Lead,
  { warnings = [], model = DEFAULT_SCORING_MODEL }: { warnings?: FieldWarning[]; model?: ScoringModel } = {},
): LeadScore {
  return scoreLead({ lead, normalized: normalizeLead(lead), warnings, receivedAt: RECEIVED_AT }, model);
}

/** The reasons other than the base score, as `factor points` strings. */
function factors(result: LeadScore): string[] {
  return result.reasons
    .filter((reason) => reason.factor !== 'base')
    .map(({ factor, points }) => `${factor} ${points}`);
}

const sum = (reasons: ScoreReason[]) => reasons.reduce((total, { points }) => total + points, 0);

describe('scoreLead', () => {
  it('gives a lead with nothing to go on the base score, cold', () => {
    expect(score(bareLead())).toEqual({
      score: 30,
      tier: 'cold',
      reasons: [{ factor: 'base', points: 30, label: 'base score +30' }],
      model_version: 'lead-score-v1',
    });
  });

  describe.each<[string, Partial<Lead>, string[]]>([
    // probability_to_transact: linear, ±20 at the ends, 0 at 0.5
    ['probability 1', { probability_to_transact: 1 }, ['probability_to_transact 20']],
    ['probability 0', { probability_to_transact: 0 }, ['probability_to_transact -20']],
    ['probability 0.5', { probability_to_transact: 0.5 }, ['probability_to_transact 0']],
    ['probability 0.82', { probability_to_transact: 0.82 }, ['probability_to_transact 13']],
    ['probability 0.18 (mirror of 0.82)', { probability_to_transact: 0.18 }, ['probability_to_transact -13']],
    ['likely to transact', { is_likely_to_transact: true }, ['is_likely_to_transact 10']],
    ['not likely to transact', { is_likely_to_transact: false }, ['is_likely_to_transact -10']],
    // finance
    ['pre-approved', { finance_info: { pre_approved: true } }, ['pre_approved 15']],
    ['not pre-approved', { finance_info: { pre_approved: false } }, ['pre_approved -5']],
    [
      'list price within budget',
      { property: { list_price: 489_000 }, finance_info: { budget_min: 400_000, budget_max: 520_000 } },
      ['budget 10'],
    ],
    [
      'list price above budget',
      { property: { list_price: 600_000 }, finance_info: { budget_max: 520_000 } },
      ['budget -10'],
    ],
    [
      'list price within the 5 % tolerance above budget',
      { property: { list_price: 545_000 }, finance_info: { budget_max: 520_000 } },
      ['budget 10'],
    ],
    [
      'list price below the minimum (affordable)',
      { property: { list_price: 300_000 }, finance_info: { budget_min: 400_000 } },
      ['budget 10'],
    ],
    [
      'inverted budget range',
      { property: { list_price: 450_000 }, finance_info: { budget_min: 500_000, budget_max: 400_000 } },
      ['budget 0'],
    ],
    ['budget without a list price', { finance_info: { budget_max: 520_000 } }, []],
    ['a zero list price', { property: { list_price: 0 }, finance_info: { budget_max: 520_000 } }, []],
    ['a zero budget', { property: { list_price: 450_000 }, finance_info: { budget_max: 0 } }, []],
    [
      'an astronomical list price',
      { property: { list_price: 1e308 }, finance_info: { budget_max: 1e6 } },
      ['budget -10'],
    ],
    // listing
    ['listing Active', { property: { listing_status: 'Active' } }, ['listing_status 5']],
    ['listing under-contract', { property: { listing_status: 'under-contract' } }, ['listing_status -5']],
    [
      'listing Active Under Contract',
      { property: { listing_status: 'Active Under Contract' } },
      ['listing_status -5'],
    ],
    ['listing SOLD', { property: { listing_status: 'SOLD' } }, ['listing_status -15']],
    ['an unknown listing status', { property: { listing_status: 'auction?' } }, []],
    ['0 days on market', { property: { active_days_on_market: 0 } }, ['days_on_market 5']],
    ['7 days on market', { property: { active_days_on_market: 7 } }, ['days_on_market 5']],
    ['8 days on market', { property: { active_days_on_market: 8 } }, []],
    ['90 days on market', { property: { active_days_on_market: 90 } }, ['days_on_market -5']],
    ['a billion days on market', { property: { active_days_on_market: 1e9 } }, ['days_on_market -5']],
    ['negative days on market', { property: { active_days_on_market: -3 } }, []],
    // message intent
    ['a tour request', { message: 'Can we schedule a tour on Saturday?' }, ['intent_tour 10']],
    ['a showing request', { message: 'I would love a showing' }, ['intent_tour 10']],
    ['an offer', { message: 'We are ready to make an offer.' }, ['intent_offer 15']],
    ['a question about offers', { message: 'Any offers on it yet?' }, []],
    ['a cash buyer', { message: 'Cash buyer here, all-cash, quick close' }, ['intent_cash 10']],
    ['urgency', { message: 'Relocating for work, need something ASAP' }, ['intent_urgent 5']],
    ['browsing', { message: 'Just looking for now, maybe next year' }, ['intent_browsing -10']],
    [
      'several intents, each once',
      { message: 'URGENT: tour today? Cash offer ready, want to make an offer, tour again tomorrow' },
      ['intent_tour 10', 'intent_offer 15', 'intent_cash 10', 'intent_urgent 5'],
    ],
    ['pre-approval in the message', { message: "I'm pre-approved with Chase" }, ['pre_approved 15']],
    ['pre-approval negated', { message: "We haven't been pre-approved yet" }, []],
    ['pre-approval still to get', { message: 'I need to get pre-approved first' }, []],
    [
      'finance info outranks the message',
      { message: 'I am pre-approved', finance_info: { pre_approved: false } },
      ['pre_approved -5'],
    ],
    ['an empty message', { message: '' }, []],
    ['a blank message', { message: ' \n\t ' }, []],
    ['a message in another language', { message: '¿Podemos visitar la casa mañana?' }, []],
    ['a 64 KiB message', { message: 'tour '.repeat(13_000) }, ['intent_tour 10']],
    // contact completeness
    ['a valid phone', { contact: { email: 'a@b.co', phone: '(512) 555-0142' } }, ['phone 10']],
    ['a valid non-US phone', { contact: { email: 'a@b.co', phone: '+44 20 7946 0958' } }, ['phone 10']],
    ['an invalid phone', { contact: { email: 'a@b.co', phone: '555-0000' } }, ['phone -5']],
    ['a blank phone', { contact: { email: 'a@b.co', phone: '  ' } }, []],
    ['a full name', { contact: { email: 'a@b.co', first_name: 'Sam', last_name: 'Lee' } }, ['full_name 5']],
    ['a first name only', { contact: { email: 'a@b.co', first_name: 'Sam' } }, []],
    // lead age, measured to ce_time
    ['a lead received the moment it was made', { timestamp: RECEIVED_AT.toISOString() }, ['lead_age 5']],
    ['a lead 4 minutes old', { timestamp: '2026-03-02T14:56:00.000Z' }, ['lead_age 5']],
    ['a lead 6 minutes old', { timestamp: '2026-03-02T14:54:00.000Z' }, []],
    ['a lead 25 hours old', { timestamp: '2026-03-01T14:00:00.000Z' }, ['lead_age -10']],
    ['a lead 8 days old', { timestamp: '2026-02-22T15:00:00.000Z' }, ['lead_age -20']],
    ['a lead from the future (clock skew)', { timestamp: '2026-03-02T15:30:00.000Z' }, ['lead_age 5']],
    // seller leads: buyer-only factors do not apply
    ['a seller', { role: 'seller' }, ['role 10']],
    [
      'a seller who wants to sell, with buyer fields',
      {
        role: 'seller',
        message: 'Want to sell my house, can you do a valuation? Also happy to tour.',
        finance_info: { pre_approved: true, budget_max: 1 },
        property: { list_price: 500_000, listing_status: 'sold', active_days_on_market: 2 },
      },
      ['role 10', 'intent_selling 10'],
    ],
    ['a buyer saying "sell my house"', { role: 'buyer', message: 'Need to sell my house first' }, []],
  ])('%s', (_case, overrides, expected) => {
    it(`scores ${expected.join(', ') || 'nothing beyond the base'}`, () => {
      const result = score(bareLead(overrides));
      expect(factors(result)).toEqual(expected);
      expect(result.score).toBe(sum(result.reasons));
    });
  });

  it('notes a probability_to_transact that intake set aside, without reading its value', () => {
    const warnings: FieldWarning[] = [
      { pointer: '/probability_to_transact', action: 'dropped', detail: 'must not be greater than 1' },
    ];
    const result = score(bareLead(), { warnings });
    expect(result.reasons).toContainEqual({
      factor: 'probability_to_transact',
      points: 0,
      label: 'probability to transact unusable (set aside at intake) +0',
    });
    expect(result.score).toBe(30);
  });

  it('caps an excellent lead at 100 with a clamp reason, so the reasons still add up', () => {
    const result = score({ ...anEnhancedLead(), timestamp: RECEIVED_AT.toISOString() });
    expect(result.score).toBe(100);
    expect(result.tier).toBe('hot');
    expect(result.reasons.at(-1)).toMatchObject({
      factor: 'clamp',
      label: expect.stringMatching(/^score capped at 100 -\d+$/),
    });
    expect(sum(result.reasons)).toBe(100);
  });

  it('floors a hopeless lead at 0', () => {
    const result = score(
      bareLead({
        timestamp: '2025-01-01T00:00:00.000Z',
        probability_to_transact: 0,
        is_likely_to_transact: false,
        finance_info: { pre_approved: false },
        property: { listing_status: 'sold', list_price: 900_000 },
        message: 'just browsing',
      }),
    );
    expect(result.score).toBe(0);
    expect(result.tier).toBe('cold');
    // 30 - 20 - 10 - 5 - 15 - 10 - 20 = -50
    expect(result.reasons.at(-1)).toEqual({ factor: 'clamp', points: 50, label: 'score floored at 0 +50' });
  });

  it.each([
    [70, 'hot'],
    [69, 'warm'],
    [40, 'warm'],
    [39, 'cold'],
  ])('puts a score of %i in tier %s', (base, tier) => {
    expect(score(bareLead(), { model: { ...DEFAULT_SCORING_MODEL, base } }).tier).toBe(tier);
  });

  it('uses the weights, thresholds and version of the model it is given', () => {
    const model: ScoringModel = {
      ...DEFAULT_SCORING_MODEL,
      model_version: 'custom-7',
      weights: { ...DEFAULT_SCORING_MODEL.weights, pre_approved: 40 },
      tiers: { hot: 60, warm: 50 },
    };
    const result = score(bareLead({ finance_info: { pre_approved: true } }), { model });
    expect(result).toMatchObject({ score: 70, tier: 'hot', model_version: 'custom-7' });
    expect(result.reasons).toContainEqual({ factor: 'pre_approved', points: 40, label: 'pre-approved +40' });
  });

  it('scores a standard lead sensibly from what it has', () => {
    const result = score(
      bareLead({
        contact: {
          email: 'maria@example.com',
          first_name: 'Maria',
          last_name: 'Gonzalez',
          phone: '(512) 555-0142',
        },
        message: 'Is this home still available? I would like to schedule a tour this weekend.',
        timestamp: RECEIVED_AT.toISOString(),
      }),
    );
    expect(factors(result)).toEqual([
      'intent_tour 10',
      'intent_urgent 5',
      'phone 10',
      'full_name 5',
      'lead_age 5',
    ]);
    expect(result).toMatchObject({ score: 65, tier: 'warm' });
  });

  it('is deterministic and always explains itself, on 300 leads generated from the spec', () => {
    let scored = 0;
    for (const body of specGeneratedLeads(20260302, 300)) {
      const parsed = parseLead(body);
      if (!parsed.ok) continue;
      scored += 1;
      const first = score(parsed.lead, { warnings: parsed.warnings });
      expect(score(structuredClone(parsed.lead), { warnings: parsed.warnings })).toEqual(first);
      expect(first.score).toBeGreaterThanOrEqual(0);
      expect(first.score).toBeLessThanOrEqual(100);
      expect(Number.isInteger(first.score)).toBe(true);
      expect(sum(first.reasons)).toBe(first.score);
      for (const { points, label } of first.reasons) {
        expect(Number.isInteger(points)).toBe(true);
        expect(label.endsWith(` ${points < 0 ? '-' : '+'}${Math.abs(points)}`)).toBe(true);
      }
    }
    expect(scored).toBeGreaterThan(250);
  });
});
