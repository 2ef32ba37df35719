import { leadMarker, leadRefOf } from '@lead-delivery/connector-kit';
import {
  type CrmLeadRecord,
  describeConnectorSuite,
  type SandboxSalesforceRecord,
} from '@lead-delivery/testing';
import { ORGS, SALESFORCE_SANDBOXED, externalId } from './support/salesforce-sandbox';

/** Delivers per person: one Lead per person and account, a Task per lead (the others: a Lead per lead). */
const PER_PERSON = 'acct-person';

const recordOf = (lead: SandboxSalesforceRecord): CrmLeadRecord => ({
  id: lead.Id,
  key: String(lead['Realtor_Lead_Id__c'] ?? lead['Realtor_Person_Key__c']),
  writes: lead.writes,
  activities: (lead.tasks ?? []).map((task) => String(task['Description'])),
});

describeConnectorSuite({
  ...SALESFORCE_SANDBOXED,
  // The suite counts a lead's upsert and its activity as calls of their own: the per-person path of a Lead
  // upsert, then a Task create. The one-call Composite path of new inquiries: salesforce-history.int-spec.
  connectorEnv: (url) => ({
    ...SALESFORCE_SANDBOXED.connectorEnv(url),
    SALESFORCE_COMPOSITE_WRITES: 'false',
  }),
  crm: 'salesforce',
  accounts: { a: { id: 'acct-a', tenant: ORGS.a.id }, b: { id: 'acct-b', tenant: ORGS.b.id } },
  activityAccount: { id: PER_PERSON, tenant: ORGS.b.id },
  activitiesPerLead: 0, // a Lead per lead, its inquiry in the Description
  activityMarker: (lead) => leadMarker(leadRefOf(lead)),
  records: {
    recordsIn: async (client, org) =>
      (await client.salesforceLeads({}, { org, limit: 2_000 })).records.map(recordOf),
    recordOf: async (client, event, org) => {
      const accountId = event.routing.account_id;
      const lead =
        accountId === PER_PERSON
          ? await client.salesforceLead(externalId(accountId, event.enrichment.person_key), {
              field: 'Realtor_Person_Key__c',
              org,
            })
          : await client.salesforceLead(externalId(accountId, event.lead.lead_id), { org });
      return lead && recordOf(lead);
    },
    keyOf: (event) => externalId(event.routing.account_id, event.lead.lead_id),
  },
  endpoints: {
    upsert: 'salesforce.collections.upsert',
    activity: 'salesforce.collections.create',
    lookup: 'salesforce.query',
  },
  faults: {
    // With seed 36 the sandbox refuses 43 of the first 143 calls (30.1%).
    retried: [
      { status: 429, rate: 0.15, retryAfterSeconds: 1 },
      { status: 503, rate: 0.15 },
    ],
    seed: 36,
    lastNameField: 'LastName',
    rejectionReason: /^FIELD_CUSTOM_VALIDATION_EXCEPTION: Test leads are not accepted \[LastName\]$/,
    // Every data call answers INVALID_SESSION_ID, a renewed session's too, until the faults are cleared.
    refuseCredentials: (client, org) => client.burst('salesforce', { status: 401, count: 100_000 }, org),
    authError: /^auth: refused: /,
  },
});
