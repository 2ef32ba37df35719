import { LEAD_KINDS, LEAD_ROLES, LEAD_TIERS } from '@lead-delivery/contracts';
import { ApiProperty } from '@nestjs/swagger';
import { DELIVERY_STATUSES } from '../../database/entities/crm-delivery.entity';
import { LEAD_EVENT_TYPES } from '../../database/entities/lead-event.entity';

// The documented shapes of lead.view.ts and LeadReader, for the OpenAPI document. Every member is always
// present (null when unknown); the contract test checks real responses against them.

const dateTime = { type: String, format: 'date-time' } as const;
const nullable = { nullable: true } as const;
const jsonObject = { type: 'object', additionalProperties: true } as const;

export class DeliverySummaryDocument {
  @ApiProperty({ type: String, example: 'salesforce' })
  destination!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;
}

export class LeadSummaryDocument {
  @ApiProperty({ type: String })
  lead_id!: string;

  @ApiProperty({ type: String })
  account_id!: string;

  @ApiProperty({ enum: LEAD_KINDS, ...nullable })
  kind!: string | null;

  @ApiProperty({ ...dateTime, description: 'The lead timestamp: what lists are ordered and filtered by.' })
  timestamp!: string;

  @ApiProperty({
    type: String,
    ...nullable,
    description: 'Normalised email, else E.164 phone; null once erased.',
  })
  person_key!: string | null;

  @ApiProperty({ type: String, ...nullable })
  name!: string | null;

  @ApiProperty({ type: String, ...nullable })
  city!: string | null;

  @ApiProperty({ type: String, ...nullable })
  state!: string | null;

  @ApiProperty({ type: Number, ...nullable })
  score!: number | null;

  @ApiProperty({ enum: LEAD_TIERS, ...nullable })
  tier!: string | null;

  @ApiProperty({ type: [DeliverySummaryDocument] })
  deliveries!: DeliverySummaryDocument[];
}

export class LeadPageDocument {
  @ApiProperty({ type: [LeadSummaryDocument], description: 'Newest lead timestamp first.' })
  items!: LeadSummaryDocument[];

  @ApiProperty({
    type: String,
    ...nullable,
    description: 'Pass as `cursor` for the next page, with the same filters; null on the last page.',
  })
  next_cursor!: string | null;
}

export class ContactDocument {
  @ApiProperty({ type: String, ...nullable })
  first_name!: string | null;

  @ApiProperty({ type: String, ...nullable })
  last_name!: string | null;

  @ApiProperty({ type: String, ...nullable })
  full_name!: string | null;

  @ApiProperty({ type: String, ...nullable })
  email!: string | null;

  @ApiProperty({ type: String, ...nullable, description: 'As the source sent it.' })
  phone!: string | null;

  @ApiProperty({ type: String, ...nullable })
  phone_e164!: string | null;
}

export class PropertyDocument {
  @ApiProperty({ type: String, ...nullable })
  address!: string | null;

  @ApiProperty({ type: String, ...nullable })
  city!: string | null;

  @ApiProperty({ type: String, ...nullable })
  state!: string | null;

  @ApiProperty({ type: String, ...nullable })
  zip_code!: string | null;

  @ApiProperty({ type: Number, ...nullable })
  list_price!: number | null;

  @ApiProperty({ type: Number, ...nullable })
  beds!: number | null;

  @ApiProperty({ type: Number, ...nullable })
  baths!: number | null;

  @ApiProperty({ type: Number, ...nullable })
  sqft!: number | null;

  @ApiProperty({ type: Number, ...nullable })
  latitude!: number | null;

  @ApiProperty({ type: Number, ...nullable })
  longitude!: number | null;

  @ApiProperty({ type: String, ...nullable })
  listing_url!: string | null;

  @ApiProperty({ type: String, ...nullable })
  mls_id!: string | null;

  @ApiProperty({ type: String, ...nullable })
  mls_name!: string | null;

  @ApiProperty({ type: String, ...nullable })
  listing_status!: string | null;

  @ApiProperty({ type: Number, ...nullable })
  active_days_on_market!: number | null;
}

export class ListingAgentDocument {
  @ApiProperty({ type: String, required: false })
  name?: string;

  @ApiProperty({ type: String, required: false })
  email?: string;

  @ApiProperty({ type: String, required: false })
  phone?: string;
}

export class FinanceInfoDocument {
  @ApiProperty({ type: Boolean, ...nullable })
  pre_approved!: boolean | null;

  @ApiProperty({ type: Number, ...nullable })
  budget_min!: number | null;

  @ApiProperty({ type: Number, ...nullable })
  budget_max!: number | null;
}

export class ScoreReasonDocument {
  @ApiProperty({ type: String })
  factor!: string;

  @ApiProperty({ type: Number })
  points!: number;

  @ApiProperty({ type: String })
  label!: string;
}

export class EnrichmentDocument {
  @ApiProperty({ type: Number, ...nullable })
  score!: number | null;

  @ApiProperty({ enum: LEAD_TIERS, ...nullable })
  tier!: string | null;

  @ApiProperty({ type: [ScoreReasonDocument], ...nullable })
  reasons!: ScoreReasonDocument[] | null;

  @ApiProperty({ type: String, ...nullable })
  model_version!: string | null;
}

export class FieldWarningDocument {
  @ApiProperty({ type: String, description: 'RFC 6901 JSON pointer into the lead as sent.' })
  pointer!: string;

  @ApiProperty({ type: String })
  detail!: string;

  @ApiProperty({ enum: ['coerced', 'dropped', 'ignored'] })
  action!: string;
}

export class LeadDocument {
  @ApiProperty({ type: String })
  lead_id!: string;

  @ApiProperty({ type: String })
  account_id!: string;

  @ApiProperty({ enum: LEAD_KINDS, ...nullable })
  kind!: string | null;

  @ApiProperty({ enum: LEAD_ROLES, ...nullable })
  role!: string | null;

  @ApiProperty({ type: String, ...nullable })
  source!: string | null;

  @ApiProperty(dateTime)
  timestamp!: string;

  @ApiProperty({ type: ContactDocument })
  contact!: ContactDocument;

  @ApiProperty({ type: PropertyDocument })
  property!: PropertyDocument;

  @ApiProperty({ type: ListingAgentDocument, ...nullable })
  listing_agent!: ListingAgentDocument | null;

  @ApiProperty({ type: FinanceInfoDocument })
  finance_info!: FinanceInfoDocument;

  @ApiProperty({ type: Boolean, ...nullable })
  is_likely_to_transact!: boolean | null;

  @ApiProperty({ type: Number, ...nullable })
  probability_to_transact!: number | null;

  @ApiProperty({ type: String, ...nullable })
  message!: string | null;

  @ApiProperty({ type: String, ...nullable })
  person_key!: string | null;

  @ApiProperty({ type: EnrichmentDocument, ...nullable, description: 'Null until the lead is enriched.' })
  enrichment!: EnrichmentDocument | null;

  @ApiProperty({ type: [String], ...nullable, description: 'Where routing sent the lead.' })
  destinations!: string[] | null;

  @ApiProperty({ type: [FieldWarningDocument], ...nullable })
  warnings!: FieldWarningDocument[] | null;

  @ApiProperty({
    ...jsonObject,
    ...nullable,
    description: 'The body as received; null once purged or erased.',
  })
  raw!: Record<string, unknown> | null;

  @ApiProperty({ ...dateTime, ...nullable })
  received_at!: string | null;

  @ApiProperty({ ...dateTime, ...nullable })
  enriched_at!: string | null;

  @ApiProperty({ ...dateTime, ...nullable })
  raw_purged_at!: string | null;

  @ApiProperty({ ...dateTime, ...nullable })
  erased_at!: string | null;

  @ApiProperty(dateTime)
  created_at!: string;

  @ApiProperty(dateTime)
  updated_at!: string;
}

export class TimelineEventDocument {
  @ApiProperty({ enum: LEAD_EVENT_TYPES })
  type!: string;

  @ApiProperty(dateTime)
  occurred_at!: string;

  @ApiProperty({ type: String, ...nullable })
  destination!: string | null;

  @ApiProperty({ ...jsonObject, description: 'What the event carried, e.g. the CRM record id or the error.' })
  details!: Record<string, unknown>;

  @ApiProperty({ type: String })
  event_id!: string;

  @ApiProperty({ type: String })
  event_source!: string;

  @ApiProperty(dateTime)
  recorded_at!: string;
}

export class DeliveryDocument {
  @ApiProperty({ type: String })
  destination!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;

  @ApiProperty({ type: String, ...nullable })
  crm_record_id!: string | null;

  @ApiProperty({
    type: String,
    format: 'uri',
    ...nullable,
    description:
      'The record in the CRM (CRM_RECORD_LINKS); null without a record id or a template for the account.',
  })
  crm_record_url!: string | null;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: String, ...nullable })
  last_error!: string | null;

  @ApiProperty({ ...dateTime, ...nullable })
  delivered_at!: string | null;

  @ApiProperty({ type: 'integer', ...nullable, description: 'First delivery − lead timestamp.' })
  speed_to_lead_ms!: number | null;

  @ApiProperty(dateTime)
  updated_at!: string;
}

export class PersonDocument {
  @ApiProperty({ type: String })
  account_id!: string;

  @ApiProperty({ type: String, description: 'Normalised email, else E.164 phone.' })
  person_key!: string;

  @ApiProperty({ type: String, ...nullable })
  email!: string | null;

  @ApiProperty({ type: String, ...nullable })
  phone_e164!: string | null;

  @ApiProperty({ type: String, ...nullable })
  full_name!: string | null;

  @ApiProperty(dateTime)
  first_seen_at!: string;

  @ApiProperty(dateTime)
  last_seen_at!: string;
}

export class PersonWithOtherInquiriesDocument extends PersonDocument {
  @ApiProperty({
    type: [LeadSummaryDocument],
    description: "The person's other leads to this account, newest first, at most 50.",
  })
  other_inquiries!: LeadSummaryDocument[];
}

export class PersonWithLeadsDocument extends PersonDocument {
  @ApiProperty({ type: [LeadSummaryDocument], description: 'Newest first, at most 500.' })
  leads!: LeadSummaryDocument[];
}

export class LeadDetailDocument {
  @ApiProperty({ type: LeadDocument })
  lead!: LeadDocument;

  @ApiProperty({ type: [TimelineEventDocument], description: 'Oldest first.' })
  timeline!: TimelineEventDocument[];

  @ApiProperty({ type: [DeliveryDocument] })
  deliveries!: DeliveryDocument[];

  @ApiProperty({
    type: PersonWithOtherInquiriesDocument,
    ...nullable,
    description: 'Null when the lead names no person.',
  })
  person!: PersonWithOtherInquiriesDocument | null;
}
