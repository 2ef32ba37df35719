import { leadMarker, leadRefOf, MappingError } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { FollowupbossAccount } from '../accounts/followupboss-accounts';
import { inquiryKindOf, type FubEventType } from './event-type';

/** `person` of POST /v1/events: Follow Up Boss finds an existing person by these emails and phones. */
export interface FubPerson {
  firstName?: string;
  lastName?: string;
  emails: { value: string }[];
  phones?: { value: string }[];
}

export interface FubProperty {
  street?: string;
  city?: string;
  state?: string;
  code?: string;
  mlsNumber?: string;
  price?: number;
  url?: string;
  bedrooms?: number;
  bathrooms?: number;
  area?: number;
}

/** The body of POST /v1/events, less `system` (the client's, from the credentials). */
export interface FubEvent {
  source: string;
  type: FubEventType;
  message?: string;
  /** The score and, as its last line, the kit's lead marker: how a redelivery finds this event. */
  description: string;
  person: FubPerson;
  property?: FubProperty;
}

/**
 * Pure. No `occurredAt`: Follow Up Boss takes an event more than a day old for history and runs no
 * automation on it, so a lead replayed from the DLQ days later must still count as new.
 */
export function mapFollowupbossEvent(event: LeadEnrichedV1, account: FollowupbossAccount): FubEvent {
  const { lead, enrichment } = event;
  const normalized = enrichment.normalized ?? {};
  const email = (normalized.email || lead.contact?.email || '').trim().toLowerCase();
  if (email === '') throw new MappingError('the lead has no email address');
  const phone = normalized.phone_e164 ?? lead.contact.phone;
  const person: FubPerson = {
    ...defined({
      firstName: normalized.first_name ?? lead.contact.first_name,
      lastName: normalized.last_name ?? lead.contact.last_name,
    }),
    emails: [{ value: email }],
    ...(phone ? { phones: [{ value: phone }] } : {}),
  };
  const reasons = enrichment.reasons.map((reason) => reason.label).join(', ');
  const description = [
    `Lead score ${enrichment.score} (${enrichment.tier})${reasons ? `: ${reasons}` : ''}`,
    leadMarker(leadRefOf(event)),
  ].join('\n');
  const property = propertyOf(event);
  return {
    source: account.source,
    type: account.eventTypes[inquiryKindOf(lead)],
    ...defined({ message: lead.message?.trim() || undefined }),
    description,
    person,
    ...(property ? { property } : {}),
  };
}

function propertyOf({ lead, enrichment }: LeadEnrichedV1): FubProperty | undefined {
  const listing = lead.property;
  if (!listing) return undefined;
  const normalized = enrichment.normalized ?? {};
  const property = defined({
    street: listing.address,
    city: normalized.city ?? listing.city,
    state: normalized.state ?? listing.state,
    code: normalized.zip_code ?? listing.zip_code,
    mlsNumber: listing.mls_id,
    price: listing.list_price,
    url: listing.listing_url,
    bedrooms: listing.beds,
    bathrooms: listing.baths,
    area: listing.sqft,
  });
  return Object.keys(property).length > 0 ? property : undefined;
}

/** The entries whose value is set (the API takes an absent field as "unknown", an empty one as a value). */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}
