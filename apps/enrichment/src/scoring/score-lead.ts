import type {
  FieldWarning,
  Lead,
  LeadRole,
  LeadTier,
  NormalizedLead,
  ScoreReason,
} from '@lead-delivery/contracts';
import { messageIntents, type MessageIntent } from './message-intent.util';
import type { ScoringModel, ScoringWeights } from './scoring-model';

export interface ScoringInput {
  lead: Lead;
  normalized: NormalizedLead;
  /** Lenient-mode warnings of the received event: a set-aside field is mentioned, never read. */
  warnings: readonly FieldWarning[];
  /** When the gateway received the lead (the input event's `ce_time`): the lead's age is measured to it. */
  receivedAt: Date;
}

export interface LeadScore {
  score: number;
  tier: LeadTier;
  /** Signed contributions, base and clamping included: they always add up to `score`. */
  reasons: ScoreReason[];
  model_version: string;
}

type ListingState = 'active' | 'pending' | 'off_market';

const LISTING_STATES: Record<string, ListingState> = {
  active: 'active',
  'for sale': 'active',
  new: 'active',
  'new listing': 'active',
  'coming soon': 'active',
  'price reduced': 'active',
  'back on market': 'active',
  pending: 'pending',
  'pending sale': 'pending',
  contingent: 'pending',
  'under contract': 'pending',
  'active under contract': 'pending',
  'under offer': 'pending',
  sold: 'off_market',
  closed: 'off_market',
  'off market': 'off_market',
  'temporarily off market': 'off_market',
  withdrawn: 'off_market',
  expired: 'off_market',
  cancelled: 'off_market',
  canceled: 'off_market',
};

const INTENT_WEIGHTS: Record<Exclude<MessageIntent, 'pre_approved'>, keyof ScoringWeights> = {
  tour: 'intent_tour',
  offer: 'intent_offer',
  cash: 'intent_cash',
  urgent: 'intent_urgent',
  selling: 'intent_selling',
  browsing: 'intent_browsing',
};

const INTENT_LABELS: Record<Exclude<MessageIntent, 'pre_approved'>, string> = {
  tour: 'asks for a tour or showing',
  offer: 'wants to make an offer',
  cash: 'cash buyer',
  urgent: 'urgent or soon',
  selling: 'wants to sell',
  browsing: 'just browsing',
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * The lead's score (0–100), tier and the reasons behind them. A pure function of its input and the
 * model: no clock, no randomness, so a redelivered lead scores exactly the same.
 */
export function scoreLead(input: ScoringInput, model: ScoringModel): LeadScore {
  const { weights } = model;
  const role: LeadRole = input.lead.role ?? 'buyer';
  const reasons: ScoreReason[] = [reason('base', model.base, 'base score')];
  const add = (factor: string, points: number, label: string) => reasons.push(reason(factor, points, label));

  scoreTransactionSignals(input, weights, add);
  if (role === 'seller') {
    add('role', weights.seller, 'seller lead');
  } else {
    scoreFinance(input, model, add);
    scoreListing(input.lead, model, add);
  }
  scoreMessage(input, role, weights, add);
  scoreContact(input, weights, add);
  scoreLeadAge(input, model, add);

  const total = reasons.reduce((sum, { points }) => sum + points, 0);
  const score = Math.min(100, Math.max(0, total));
  if (score !== total)
    add('clamp', score - total, score === 100 ? 'score capped at 100' : 'score floored at 0');
  return { score, tier: tierOf(score, model), reasons, model_version: model.model_version };
}

type Add = (factor: string, points: number, label: string) => void;

function scoreTransactionSignals({ lead, warnings }: ScoringInput, weights: ScoringWeights, add: Add) {
  const probability = lead.probability_to_transact;
  if (
    typeof probability === 'number' &&
    Number.isFinite(probability) &&
    probability >= 0 &&
    probability <= 1
  ) {
    add(
      'probability_to_transact',
      roundHalfAwayFromZero(weights.probability_to_transact * (2 * probability - 1)),
      `probability to transact ${probability.toFixed(2)}`,
    );
  } else if (warnings.some((warning) => warning.pointer === '/probability_to_transact')) {
    add('probability_to_transact', 0, 'probability to transact unusable (set aside at intake)');
  }
  if (lead.is_likely_to_transact === true) {
    add('is_likely_to_transact', weights.likely_to_transact, 'likely to transact');
  } else if (lead.is_likely_to_transact === false) {
    add('is_likely_to_transact', weights.unlikely_to_transact, 'not likely to transact');
  }
}

function scoreFinance({ lead }: ScoringInput, model: ScoringModel, add: Add) {
  const finance = lead.finance_info;
  if (finance?.pre_approved === true) add('pre_approved', model.weights.pre_approved, 'pre-approved');
  if (finance?.pre_approved === false)
    add('pre_approved', model.weights.not_pre_approved, 'not pre-approved');

  const price = lead.property?.list_price;
  if (price === undefined || price <= 0) return;
  const min = positive(finance?.budget_min);
  const max = positive(finance?.budget_max);
  if (min === undefined && max === undefined) return;
  if (min !== undefined && max !== undefined && min > max) {
    add('budget', 0, 'budget range inverted (minimum above maximum), ignored');
  } else if (max !== undefined && price > max * (1 + model.thresholds.budget_tolerance_percent / 100)) {
    add('budget', model.weights.over_budget, 'list price above budget');
  } else {
    add('budget', model.weights.within_budget, 'list price within budget');
  }
}

function scoreListing(lead: Lead, { weights, thresholds }: ScoringModel, add: Add) {
  const status = lead.property?.listing_status
    ?.trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
  const state = status ? LISTING_STATES[status] : undefined;
  if (state === 'active') add('listing_status', weights.listing_active, 'listing active');
  if (state === 'pending')
    add('listing_status', weights.listing_pending, 'listing pending or under contract');
  if (state === 'off_market') add('listing_status', weights.listing_off_market, 'listing sold or off market');

  const days = lead.property?.active_days_on_market;
  if (days === undefined || days < 0) return;
  if (days <= thresholds.new_listing_max_days) {
    add('days_on_market', weights.new_listing, `new listing (${days} days on market)`);
  } else if (days >= thresholds.stale_listing_min_days) {
    add('days_on_market', weights.stale_listing, `long on market (${days} days)`);
  }
}

function scoreMessage({ lead }: ScoringInput, role: LeadRole, weights: ScoringWeights, add: Add) {
  for (const intent of messageIntents(lead.message, role)) {
    if (intent === 'pre_approved') {
      // The message speaks for finance only when finance_info does not.
      if (lead.finance_info?.pre_approved === undefined) {
        add('pre_approved', weights.pre_approved, 'pre-approved (stated in message)');
      }
    } else {
      add(`intent_${intent}`, weights[INTENT_WEIGHTS[intent]], INTENT_LABELS[intent]);
    }
  }
}

function scoreContact({ lead, normalized }: ScoringInput, weights: ScoringWeights, add: Add) {
  if (normalized.phone_e164) add('phone', weights.valid_phone, 'valid phone number');
  else if (lead.contact.phone?.trim()) add('phone', weights.invalid_phone, 'phone number not valid');
  if (normalized.first_name && normalized.last_name) add('full_name', weights.full_name, 'full name given');
}

function scoreLeadAge({ lead, receivedAt }: ScoringInput, { weights, thresholds }: ScoringModel, add: Add) {
  const createdAt = Date.parse(lead.timestamp);
  if (Number.isNaN(createdAt)) return;
  // A timestamp ahead of the gateway's clock (skew) counts as brand new.
  const ageMs = Math.max(0, receivedAt.getTime() - createdAt);
  if (ageMs >= thresholds.old_lead_min_days * DAY_MS) {
    add('lead_age', weights.old_lead, `lead older than ${thresholds.old_lead_min_days} days`);
  } else if (ageMs >= thresholds.aged_lead_min_hours * HOUR_MS) {
    add('lead_age', weights.aged_lead, `lead older than ${thresholds.aged_lead_min_hours} h`);
  } else if (ageMs <= thresholds.fresh_lead_max_minutes * MINUTE_MS) {
    add('lead_age', weights.fresh_lead, `fresh lead (under ${thresholds.fresh_lead_max_minutes} min)`);
  }
}

function tierOf(score: number, { tiers }: ScoringModel): LeadTier {
  if (score >= tiers.hot) return 'hot';
  return score >= tiers.warm ? 'warm' : 'cold';
}

function reason(factor: string, points: number, label: string): ScoreReason {
  return { factor, points, label: `${label} ${points < 0 ? '-' : '+'}${Math.abs(points)}` };
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function roundHalfAwayFromZero(value: number): number {
  // Math.round(-2.5) is -2; rounding the magnitude keeps p and 1 - p mirror images (and never gives -0).
  const magnitude = Math.round(Math.abs(value));
  return value < 0 && magnitude > 0 ? -magnitude : magnitude;
}
