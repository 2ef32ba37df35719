import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { normalizeLead } from '../normalization/normalize-lead';
import { personKeyOf } from '../normalization/person-key.util';
import { routeLead } from '../routing/route-lead';
import type { RoutingRules } from '../routing/routing-rules';
import { scoreLead } from '../scoring/score-lead';
import type { ScoringModel } from '../scoring/scoring-model';
import type { ReceivedLead } from './received-lead';

export interface EnrichmentSettings {
  scoringModel: ScoringModel;
  routingRules: RoutingRules;
}

/** Normalises, scores and routes a received lead: a pure function, so redelivery gives the same event. */
export function enrichLead(received: ReceivedLead, settings: EnrichmentSettings): LeadEnrichedV1 {
  const { lead, kind, warnings, event, receivedAt } = received;
  const normalized = normalizeLead(lead);
  const { score, tier, reasons, model_version } = scoreLead(
    { lead, normalized, warnings, receivedAt },
    settings.scoringModel,
  );
  const destinations = routeLead(
    {
      accountId: event.accountId,
      tier,
      score,
      role: lead.role ?? 'buyer',
      kind,
      ...(normalized.state ? { state: normalized.state } : {}),
    },
    settings.routingRules,
  );
  return {
    lead,
    kind,
    enrichment: {
      score,
      tier,
      reasons,
      model_version,
      person_key: personKeyOf(normalized, lead.lead_id),
      normalized,
    },
    routing: { account_id: event.accountId, destinations },
  };
}
