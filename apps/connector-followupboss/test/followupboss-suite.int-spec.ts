import { leadMarker, leadRefOf } from '@lead-delivery/connector-kit';
import { describeConnectorSuite, type SuiteEndpoint } from '@lead-delivery/testing';
import {
  FOLLOWUPBOSS_RECORDS,
  FOLLOWUPBOSS_SANDBOXED,
  FUB_ACCOUNTS,
} from './support/followupboss-suite-subject';

/** POST /v1/events: the lead's event, which writes its person and is its activity. */
const POST_EVENT: SuiteEndpoint = { method: 'POST', path: /^\/v1\/events$/ };

describeConnectorSuite({
  ...FOLLOWUPBOSS_SANDBOXED,
  crm: 'followupboss',
  accounts: {
    a: { id: 'acct-a', tenant: FUB_ACCOUNTS.a.id },
    b: { id: 'acct-b', tenant: FUB_ACCOUNTS.b.id },
  },
  activityAccount: { id: 'acct-a', tenant: FUB_ACCOUNTS.a.id },
  activitiesPerLead: 1, // the lead's event, on the person Follow Up Boss merged
  activityMarker: (lead) => leadMarker(leadRefOf(lead)),
  records: FOLLOWUPBOSS_RECORDS,
  batching: 'per-lead', // no batch endpoint
  endpoints: {
    upsert: POST_EVENT,
    activity: POST_EVENT,
    // An unknown outcome is settled by the person's events, found by email: one people search per lookup.
    lookup: { method: 'GET', path: /^\/v1\/people$/ },
  },
  faults: {
    // One call per lead, each 429 waited out (1 s): 100 leads keep the run well within the suite's 90 s,
    // also on a loaded machine (200 took 90 s at a load average of 8 on 2 cores).
    retried: [
      { status: 429, rate: 0.15, retryAfterSeconds: 1 },
      { status: 503, rate: 0.15 },
    ],
    seed: 20,
    leads: 100,
    // A validation rule on the event's person (an archived source's 204 is a skip, not a refusal:
    // followupboss-skipped.int-spec.ts); the 400's errorMessage is the reason.
    lastNameField: 'person.lastName',
    rejectionReason: /^POST \/v1\/events: HTTP 400: Test leads are not accepted$/,
    refuseCredentials: (client, tenant) =>
      client.burst('followupboss', { status: 401, count: 100_000 }, tenant),
    authError: /^auth: /,
  },
});
