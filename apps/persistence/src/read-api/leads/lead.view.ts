import type { CrmDeliveryEntity } from '../../database/entities/crm-delivery.entity';
import type { LeadEventEntity } from '../../database/entities/lead-event.entity';
import type { LeadEntity } from '../../database/entities/lead.entity';
import type { PersonEntity } from '../../database/entities/person.entity';
import type { CrmRecordLinks } from './crm-record-links';

// The read API speaks the platform's snake_case, like the events and the tables.

const iso = (time: Date | null) => time?.toISOString() ?? null;

/** A lead in a list: who, when, where, how it scored and where it went. */
export function leadSummaryView(lead: LeadEntity, deliveries: CrmDeliveryEntity[]) {
  return {
    lead_id: lead.leadId,
    account_id: lead.accountId,
    kind: lead.kind,
    timestamp: iso(lead.leadTimestamp),
    person_key: lead.personKey,
    name: lead.fullName ?? ([lead.firstName, lead.lastName].filter(Boolean).join(' ') || null),
    city: lead.city,
    state: lead.state,
    score: lead.score,
    tier: lead.tier,
    deliveries: deliveries.map((delivery) => ({
      destination: delivery.destination,
      status: delivery.status,
    })),
  };
}

export function leadView(lead: LeadEntity) {
  return {
    lead_id: lead.leadId,
    account_id: lead.accountId,
    kind: lead.kind,
    role: lead.role,
    source: lead.source,
    timestamp: iso(lead.leadTimestamp),
    contact: {
      first_name: lead.firstName,
      last_name: lead.lastName,
      full_name: lead.fullName,
      email: lead.email,
      phone: lead.phone,
      phone_e164: lead.phoneE164,
    },
    property: {
      address: lead.address,
      city: lead.city,
      state: lead.state,
      zip_code: lead.zipCode,
      list_price: lead.listPrice,
      beds: lead.beds,
      baths: lead.baths,
      sqft: lead.sqft,
      latitude: lead.latitude,
      longitude: lead.longitude,
      listing_url: lead.listingUrl,
      mls_id: lead.mlsId,
      mls_name: lead.mlsName,
      listing_status: lead.listingStatus,
      active_days_on_market: lead.activeDaysOnMarket,
    },
    listing_agent: lead.listingAgent,
    finance_info: { pre_approved: lead.preApproved, budget_min: lead.budgetMin, budget_max: lead.budgetMax },
    is_likely_to_transact: lead.isLikelyToTransact,
    probability_to_transact: lead.probabilityToTransact,
    message: lead.message,
    person_key: lead.personKey,
    enrichment:
      lead.enrichedAt === null
        ? null
        : {
            score: lead.score,
            tier: lead.tier,
            reasons: lead.scoreReasons,
            model_version: lead.modelVersion,
          },
    destinations: lead.destinations,
    warnings: lead.warnings,
    raw: lead.raw,
    received_at: iso(lead.receivedAt),
    enriched_at: iso(lead.enrichedAt),
    raw_purged_at: iso(lead.rawPurgedAt),
    erased_at: iso(lead.erasedAt),
    created_at: iso(lead.createdAt),
    updated_at: iso(lead.updatedAt),
  };
}

export function timelineView(event: LeadEventEntity) {
  return {
    type: event.type,
    occurred_at: iso(event.occurredAt),
    destination: event.destination,
    details: event.details,
    event_id: event.eventId,
    event_source: event.eventSource,
    recorded_at: iso(event.recordedAt),
  };
}

export function deliveryView(delivery: CrmDeliveryEntity, links: CrmRecordLinks) {
  return {
    destination: delivery.destination,
    status: delivery.status,
    crm_record_id: delivery.crmRecordId,
    crm_record_url: links.urlOf(delivery.destination, delivery.accountId, delivery.crmRecordId),
    attempts: delivery.attempts,
    last_error: delivery.lastError,
    delivered_at: iso(delivery.deliveredAt),
    speed_to_lead_ms: delivery.speedToLeadMs === null ? null : Number(delivery.speedToLeadMs),
    updated_at: iso(delivery.updatedAt),
  };
}

export function personView(person: PersonEntity) {
  return {
    account_id: person.accountId,
    person_key: person.personKey,
    email: person.email,
    phone_e164: person.phoneE164,
    full_name: person.fullName,
    first_seen_at: iso(person.firstSeenAt),
    last_seen_at: iso(person.lastSeenAt),
  };
}
