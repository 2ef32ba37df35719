import {
  type FieldValue,
  inquirySummary,
  leadMarker,
  leadRefOf,
  MappingError,
  resolveFieldSource,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { HubspotAccount } from '../accounts/hubspot-accounts';

/** HubSpot v3 property values are strings, numbers and booleans included. */
export type HubspotProperties = Record<string, string>;

/** A lead mapped for one account: the contact to upsert by email, and the inquiry as a note on it. */
export interface HubspotContactRecord {
  /** Lower-cased: HubSpot's upsert key, unique per portal. */
  email: string;
  properties: HubspotProperties;
  /**
   * `hs_timestamp` and `hs_note_body` of the note associated with the contact (type 202); the body ends
   * with the lead's marker line.
   */
  note: HubspotProperties;
}

const NOTE_BODY_LIMIT = 65_536;
const LINE_BREAK = '<br>';

/** Pure: the contact and the note for an enriched lead under an account's mapping overrides. */
export function mapHubspotContact(event: LeadEnrichedV1, account: HubspotAccount): HubspotContactRecord {
  const { lead, enrichment } = event;
  const email = (enrichment.normalized?.email || lead.contact?.email || '').trim().toLowerCase();
  if (email === '') throw new MappingError('the lead has no email address, the key of a HubSpot contact');
  const properties = strings(withOverrides(defaultProperties(event, account), account, event));
  properties['email'] = email;
  // The summary is cut, never the marker: it is what finds the note again.
  const marker = `${LINE_BREAK}${escapeHtml(leadMarker(leadRefOf(event)))}`;
  const summary = inquirySummary(event).map(escapeHtml).join(LINE_BREAK);
  return {
    email,
    properties,
    note: {
      hs_timestamp: lead.timestamp,
      hs_note_body: `${summary.slice(0, NOTE_BODY_LIMIT - marker.length)}${marker}`,
    },
  };
}

function defaultProperties(
  event: LeadEnrichedV1,
  account: HubspotAccount,
): Record<string, FieldValue | undefined> {
  const { lead, enrichment } = event;
  const normalized = enrichment.normalized ?? {};
  const property = lead.property ?? {};
  const finance = lead.finance_info ?? {};
  return {
    firstname: normalized.first_name ?? lead.contact.first_name,
    lastname: normalized.last_name ?? lead.contact.last_name,
    phone: normalized.phone_e164 ?? lead.contact.phone,
    address: property.address,
    city: normalized.city ?? property.city,
    state: normalized.state ?? property.state,
    zip: normalized.zip_code ?? property.zip_code,
    message: lead.message,
    hs_lead_status: account.leadStatus[enrichment.tier],
    lifecyclestage: account.lifecycleStage[enrichment.tier],
    rdc_lead_id: lead.lead_id,
    rdc_person_key: enrichment.person_key,
    rdc_role: lead.role,
    rdc_mls_id: property.mls_id,
    rdc_listing_url: property.listing_url,
    rdc_tier: enrichment.tier,
    rdc_score: enrichment.score,
    rdc_list_price: property.list_price,
    rdc_beds: property.beds,
    rdc_baths: property.baths,
    rdc_probability: lead.probability_to_transact,
    rdc_budget_min: finance.budget_min,
    rdc_budget_max: finance.budget_max,
    rdc_pre_approved: finance.pre_approved,
  };
}

function withOverrides(
  properties: Record<string, FieldValue | undefined>,
  account: HubspotAccount,
  event: LeadEnrichedV1,
): Record<string, FieldValue | undefined> {
  const result = { ...properties };
  for (const [name, source] of Object.entries(account.fields)) {
    result[name] = source === null ? undefined : resolveFieldSource(source, event);
  }
  return result;
}

/** Drops what has no value (an empty string would clear the property in HubSpot) and stringifies the rest. */
function strings(properties: Record<string, FieldValue | undefined>): HubspotProperties {
  return Object.fromEntries(
    Object.entries(properties).flatMap(([name, value]) => {
      if (value === undefined) return [];
      const text = String(value).trim();
      return text === '' ? [] : [[name, text]];
    }),
  );
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (character) => HTML_ESCAPES[character] as string);
