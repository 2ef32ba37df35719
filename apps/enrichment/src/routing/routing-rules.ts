import type { Destination, LeadKind, LeadRole, LeadTier } from '@lead-delivery/contracts';

/** All listed conditions must hold; within one list, any value matches. An empty `when` matches every lead. */
export interface RoutingCondition {
  tier?: LeadTier[];
  role?: LeadRole[];
  /** Two-letter codes of the property's (normalised) state. */
  state?: string[];
  kind?: LeadKind[];
  min_score?: number;
}

export interface RoutingRule {
  when: RoutingCondition;
  destinations: Destination[];
}

/** An account's routing: `always` gets every lead, each matching rule adds its destinations. */
export interface AccountRouting {
  always: Destination[];
  rules: RoutingRule[];
}

export interface RoutingRules {
  /** For accounts that have no entry of their own. */
  default: AccountRouting;
  accounts: ReadonlyMap<string, AccountRouting>;
}

/** What routing rules can look at. A lead without a role counts as a buyer. */
export interface RoutingFacts {
  accountId: string;
  tier: LeadTier;
  score: number;
  role: LeadRole;
  kind: LeadKind;
  state?: string;
}
