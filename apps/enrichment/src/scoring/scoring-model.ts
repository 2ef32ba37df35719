/** Points each factor adds to (or takes from) a lead's score; see the model table in the README. */
export interface ScoringWeights {
  /** Points at probability 1; probability 0 gives the negative, 0.5 gives 0 (linear in between). */
  probability_to_transact: number;
  likely_to_transact: number;
  unlikely_to_transact: number;
  pre_approved: number;
  not_pre_approved: number;
  within_budget: number;
  over_budget: number;
  intent_tour: number;
  intent_offer: number;
  intent_cash: number;
  intent_urgent: number;
  intent_selling: number;
  intent_browsing: number;
  valid_phone: number;
  invalid_phone: number;
  full_name: number;
  listing_active: number;
  listing_pending: number;
  listing_off_market: number;
  new_listing: number;
  stale_listing: number;
  fresh_lead: number;
  aged_lead: number;
  old_lead: number;
  seller: number;
}

/** Where the factors that depend on a quantity switch on. */
export interface ScoringThresholds {
  new_listing_max_days: number;
  stale_listing_min_days: number;
  fresh_lead_max_minutes: number;
  aged_lead_min_hours: number;
  old_lead_min_days: number;
  /** A list price up to this many percent above the budget's maximum still counts as within budget. */
  budget_tolerance_percent: number;
}

/** Lowest score of each tier; below `warm` a lead is cold. */
export interface TierThresholds {
  hot: number;
  warm: number;
}

export interface ScoringModel {
  /** Named on every scored lead; must change whenever anything else here changes. */
  model_version: string;
  /** Every lead's starting score, before the factors. */
  base: number;
  weights: ScoringWeights;
  thresholds: ScoringThresholds;
  tiers: TierThresholds;
}

export const DEFAULT_SCORING_MODEL: ScoringModel = {
  model_version: 'lead-score-v1',
  base: 30,
  weights: {
    probability_to_transact: 20,
    likely_to_transact: 10,
    unlikely_to_transact: -10,
    pre_approved: 15,
    not_pre_approved: -5,
    within_budget: 10,
    over_budget: -10,
    intent_tour: 10,
    intent_offer: 15,
    intent_cash: 10,
    intent_urgent: 5,
    intent_selling: 10,
    intent_browsing: -10,
    valid_phone: 10,
    invalid_phone: -5,
    full_name: 5,
    listing_active: 5,
    listing_pending: -5,
    listing_off_market: -15,
    new_listing: 5,
    stale_listing: -5,
    fresh_lead: 5,
    aged_lead: -10,
    old_lead: -20,
    seller: 10,
  },
  thresholds: {
    new_listing_max_days: 7,
    stale_listing_min_days: 90,
    fresh_lead_max_minutes: 5,
    aged_lead_min_hours: 24,
    old_lead_min_days: 7,
    budget_tolerance_percent: 5,
  },
  tiers: { hot: 70, warm: 40 },
};
