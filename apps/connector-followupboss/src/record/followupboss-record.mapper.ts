import { MappingError } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1, LeadTier } from '@lead-delivery/contracts';

/** A lead as a Follow Up Boss record; adapt the fields to the CRM's object. */
export interface FollowupbossRecord {
  /** The lead id: the upsert key, so that the same lead twice leaves one record. */
  externalId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  message?: string;
  propertyAddress?: string;
  listPrice?: number;
  tier: LeadTier;
  score: number;
  scoreReasons: string[];
}

/** Pure. Throws a MappingError (the lead is dead-lettered; a replay after a fix delivers it). */
export function mapFollowupbossRecord(event: LeadEnrichedV1): FollowupbossRecord {
  const { lead, enrichment } = event;
  const normalized = enrichment.normalized ?? {};
  const email = (normalized.email || lead.contact?.email || '').trim().toLowerCase();
  if (email === '') throw new MappingError('the lead has no email address');
  const record: FollowupbossRecord = {
    externalId: lead.lead_id,
    email,
    tier: enrichment.tier,
    score: enrichment.score,
    scoreReasons: enrichment.reasons.map((reason) => reason.label),
  };
  const firstName = normalized.first_name ?? lead.contact.first_name;
  const lastName = normalized.last_name ?? lead.contact.last_name;
  const phone = normalized.phone_e164 ?? lead.contact.phone;
  const message = lead.message?.trim();
  const propertyAddress = normalized.address ?? lead.property?.address;
  if (firstName) record.firstName = firstName;
  if (lastName) record.lastName = lastName;
  if (phone) record.phone = phone;
  if (message) record.message = message;
  if (propertyAddress) record.propertyAddress = propertyAddress;
  if (lead.property?.list_price !== undefined) record.listPrice = lead.property.list_price;
  return record;
}
