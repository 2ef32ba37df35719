import { leadMarker, leadRefOf } from '@lead-delivery/connector-kit';
import {
  type CrmLeadRecord,
  describeConnectorSuite,
  type SandboxHubspotContact,
} from '@lead-delivery/testing';
import { HUBSPOT_SANDBOXED, PORTALS, SANDBOX_ENV } from './support/hubspot-sandbox';

const recordOf = (contact: SandboxHubspotContact): CrmLeadRecord => ({
  id: contact.id,
  key: contact.properties['rdc_lead_id'] ?? '',
  writes: contact.writes,
  activities: contact.notes.map((note) => note.properties['hs_note_body'] ?? ''),
});

describeConnectorSuite({
  ...HUBSPOT_SANDBOXED,
  // The portals' own 190-per-10-s limit is lifted, so that only the injected faults refuse calls.
  sandboxEnv: { ...SANDBOX_ENV, HUBSPOT_TEN_SECONDLY_LIMIT: '100000' },
  crm: 'hubspot',
  accounts: { a: { id: 'acct-a', tenant: PORTALS.a.id }, b: { id: 'acct-b', tenant: PORTALS.b.id } },
  activityAccount: { id: 'acct-a', tenant: PORTALS.a.id },
  activitiesPerLead: 1, // a contact per person, a note per lead
  activityMarker: (lead) => leadMarker(leadRefOf(lead)),
  records: {
    recordsIn: async (client, portal) =>
      (await client.hubspotContacts({}, { portal, limit: 2_000 })).records.map(recordOf),
    recordOf: async (client, lead, portal) => {
      const contact = await client.hubspotContact(lead.enrichment.normalized.email, { portal });
      return contact && recordOf(contact);
    },
    keyOf: (lead) => lead.lead.lead_id,
  },
  endpoints: {
    upsert: 'hubspot.contacts.batch-upsert',
    activity: 'hubspot.notes.batch-create',
    lookup: 'hubspot.notes.batch-read',
  },
  faults: {
    // With seed 20 the sandbox refuses 86 of the first 286 calls (30.1%).
    retried: [
      { status: 429, rate: 0.15, retryAfterSeconds: 1, policyName: 'TEN_SECONDLY_ROLLING' },
      { status: 503, rate: 0.15 },
    ],
    seed: 20,
    lastNameField: 'lastname',
    rejectionReason: /^VALIDATION_ERROR: .*Test leads are not accepted/,
    // Private-app tokens are static: once expired, calls answer EXPIRED_AUTHENTICATION until cleared.
    refuseCredentials: (client, portal) => client.expireTokens('hubspot', 0, portal),
    authError: /^auth: EXPIRED_AUTHENTICATION/,
  },
});
