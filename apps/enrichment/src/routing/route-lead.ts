import type { Destination } from '@lead-delivery/contracts';
import type { RoutingCondition, RoutingFacts, RoutingRules } from './routing-rules';

/**
 * The destinations of a lead: its account's `always` list, then the destinations of every rule that
 * matches, each once, in that order. An account without an entry uses `default`. May be empty.
 */
export function routeLead(facts: RoutingFacts, rules: RoutingRules): Destination[] {
  const routing = rules.accounts.get(facts.accountId) ?? rules.default;
  const destinations = new Set<Destination>(routing.always);
  for (const rule of routing.rules) {
    if (matches(rule.when, facts)) rule.destinations.forEach((destination) => destinations.add(destination));
  }
  return [...destinations];
}

function matches(when: RoutingCondition, facts: RoutingFacts): boolean {
  return (
    (when.tier === undefined || when.tier.includes(facts.tier)) &&
    (when.role === undefined || when.role.includes(facts.role)) &&
    (when.kind === undefined || when.kind.includes(facts.kind)) &&
    (when.state === undefined || (facts.state !== undefined && when.state.includes(facts.state))) &&
    (when.min_score === undefined || facts.score >= when.min_score)
  );
}
