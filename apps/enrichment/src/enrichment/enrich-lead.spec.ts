import { LEAD_RECEIVED_V1 } from '@lead-delivery/contracts';
import { anEnhancedLead, aStandardLead } from '@lead-delivery/testing';
import type { RoutingRules } from '../routing/routing-rules';
import { DEFAULT_SCORING_MODEL } from '../scoring/scoring-model';
import { enrichLead, type EnrichmentSettings } from './enrich-lead';
import type { ReceivedLead } from './received-lead';

const RULES: RoutingRules = {
  default: { always: [], rules: [] },
  accounts: new Map([
    ['acct-a', { always: ['hubspot'], rules: [{ when: { tier: ['hot'] }, destinations: ['salesforce'] }] }],
  ]),
};
const SETTINGS: EnrichmentSettings = { scoringModel: DEFAULT_SCORING_MODEL, routingRules: RULES };
const RECEIVED_AT = new Date('2026-03-02T15:00:00.000Z');

function received(lead = anEnhancedLead(), accountId = 'acct-a'): ReceivedLead {
  return {
    lead,
    kind: lead.role ? 'enhanced' : 'standard',
    warnings: [],
    receivedAt: RECEIVED_AT,
    event: {
      id: 'in-1',
      type: LEAD_RECEIVED_V1.type,
      source: '/gateway',
      time: RECEIVED_AT.toISOString(),
      subject: lead.lead_id,
      accountId,
    },
  };
}

describe('enrichLead', () => {
  it('keeps the original lead and adds its normalisation, score and routing', () => {
    const lead = anEnhancedLead({
      contact: {
        first_name: 'MARIA',
        last_name: 'gonzalez',
        email: 'Maria@Example.com',
        phone: '512 555 0142',
      },
      timestamp: RECEIVED_AT.toISOString(),
    });
    const value = enrichLead(received(lead), SETTINGS);

    expect(value.lead).toBe(lead);
    expect(value.kind).toBe('enhanced');
    expect(value.enrichment).toMatchObject({
      score: 100,
      tier: 'hot',
      model_version: 'lead-score-v1',
      person_key: 'maria@example.com',
      normalized: {
        email: 'maria@example.com',
        phone_e164: '+15125550142',
        full_name: 'Maria Gonzalez',
        address: '2104 Lakeview Dr, Austin, TX 78704',
      },
    });
    expect(value.routing).toEqual({ account_id: 'acct-a', destinations: ['hubspot', 'salesforce'] });
  });

  it('publishes a lead routed nowhere with an empty list', () => {
    const value = enrichLead(received(aStandardLead(), 'acct-without-rules'), SETTINGS);
    expect(value.routing).toEqual({ account_id: 'acct-without-rules', destinations: [] });
    expect(value.enrichment.reasons.length).toBeGreaterThan(1);
  });

  it('gives the same value for the same received event', () => {
    const input = received();
    expect(JSON.stringify(enrichLead(structuredClone(input), SETTINGS))).toBe(
      JSON.stringify(enrichLead(input, SETTINGS)),
    );
  });
});
