import type { LeadEnrichedV1, LeadTier } from '@lead-delivery/contracts';
import {
  type FieldValue,
  inquirySummary,
  leadMarker,
  leadRefOf,
  MappingError,
  propertyLabel,
  resolveFieldSource,
} from '@lead-delivery/connector-kit';
import { REQUIRED_LEAD_FIELDS, type SalesforceAccount } from '../accounts/salesforce-accounts';
import { salesforceExternalId } from './salesforce-external-id';

export type SalesforceFields = Record<string, FieldValue>;

/** A lead mapped for one account: the Lead to upsert and, per person, the inquiry as a Task on it. */
export interface SalesforceLeadRecord {
  /** The upsert key's value: the account with the lead id, or with the person key in per-person mode. */
  key: string;
  keyField: string;
  lead: SalesforceFields;
  /**
   * Per-person mode: the inquiry, created as a Task whose WhoId is the Lead once its id is known; its
   * Description ends with the lead's marker line.
   */
  task?: SalesforceFields;
}

export interface LeadKeyFields {
  leadId: string;
  personKey: string;
}

// Standard Lead text lengths (Salesforce field reference); longer values are refused with STRING_TOO_LONG.
// Email and Phone are not cut: a shortened address would be wrong, so the org's refusal is kept.
const LEAD_LENGTHS: Record<string, number> = {
  FirstName: 40,
  LastName: 80,
  Company: 255,
  Street: 255,
  City: 40,
  State: 80,
  PostalCode: 20,
  Description: 32_000,
};
const TASK_LENGTHS: Record<string, number> = { Subject: 255, Description: 32_000 };
const REQUIRED: readonly string[] = REQUIRED_LEAD_FIELDS;

/** Pure: the Lead (and Task) for an enriched lead under an account's record mode and mapping overrides. */
export function mapSalesforceLead(
  event: LeadEnrichedV1,
  account: SalesforceAccount,
  keyFields: LeadKeyFields,
): SalesforceLeadRecord {
  const perPerson = account.recordMode === 'per-person';
  const value = perPerson ? event.enrichment.person_key : event.lead.lead_id;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MappingError(perPerson ? 'enrichment.person_key is missing' : 'lead.lead_id is missing');
  }
  const key = salesforceExternalId(event.routing.account_id, value);
  const keyField = perPerson ? keyFields.personKey : keyFields.leadId;
  const lead = fitted(withOverrides(defaultLead(event, account.rating), account, event), LEAD_LENGTHS);
  lead[keyField] = key;
  return { key, keyField, lead, ...(perPerson ? { task: inquiryTask(event) } : {}) };
}

function defaultLead(event: LeadEnrichedV1, rating: Record<LeadTier, string>): SalesforceFields {
  const { lead, enrichment } = event;
  const normalized = enrichment.normalized ?? {};
  const property = lead.property ?? {};
  const firstName = normalized.first_name ?? text(lead.contact.first_name);
  const lastName = normalized.last_name ?? text(lead.contact.last_name);
  const fullName = [firstName, lastName].filter(Boolean).join(' ');
  return defined({
    // With no last name the first name becomes LastName (required), so it is not repeated.
    FirstName: lastName ? firstName : undefined,
    LastName: lastName ?? firstName ?? 'Unknown',
    Email: text(normalized.email) ?? text(lead.contact.email),
    Phone: normalized.phone_e164 ?? text(lead.contact.phone),
    Company: fullName ? `${fullName} (Realtor.com consumer)` : 'Realtor.com consumer',
    Street: text(property.address),
    City: normalized.city ?? text(property.city),
    State: normalized.state ?? text(property.state),
    PostalCode: normalized.zip_code ?? text(property.zip_code),
    LeadSource: 'Web',
    Rating: rating[enrichment.tier],
    Description: inquirySummary(event).join('\n'),
  });
}

function inquiryTask(event: LeadEnrichedV1): SalesforceFields {
  // The summary is cut, never the marker: it is what finds the Task again.
  const marker = `\n${leadMarker(leadRefOf(event))}`;
  const summary = inquirySummary(event).join('\n');
  return fitted(
    {
      Subject: `Realtor.com inquiry: ${propertyLabel(event)}`,
      Description: `${summary.slice(0, (TASK_LENGTHS['Description'] as number) - marker.length)}${marker}`,
      ActivityDate: event.lead.timestamp.slice(0, 10),
      Status: 'Not Started',
      Priority: event.enrichment.tier === 'hot' ? 'High' : 'Normal',
    },
    TASK_LENGTHS,
  );
}

function withOverrides(fields: SalesforceFields, account: SalesforceAccount, event: LeadEnrichedV1) {
  const result = { ...fields };
  for (const [field, source] of Object.entries(account.fields)) {
    const value = source === null ? undefined : resolveFieldSource(source, event);
    if (value !== undefined) result[field] = value;
    else if (!REQUIRED.includes(field)) delete result[field]; // a required field keeps its default
  }
  return result;
}

function fitted(fields: SalesforceFields, lengths: Record<string, number>): SalesforceFields {
  return Object.fromEntries(
    Object.entries(fields).map(([field, value]) => {
      const max = lengths[field];
      return [field, typeof value === 'string' && max !== undefined ? value.slice(0, max) : value];
    }),
  );
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function defined(fields: Record<string, FieldValue | undefined>): SalesforceFields {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, FieldValue] => entry[1] !== undefined),
  );
}
