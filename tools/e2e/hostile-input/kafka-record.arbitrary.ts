// Arbitraries of raw records for the consumers' input topics: events of the topic's contract with
// mutations, hostile JSON, bytes that are not JSON or not UTF-8, empty values and tombstones, and
// CloudEvents headers missing, blank or hostile.
import { HEADERS, TOPICS, type LeadDeliveryV1, type MainTopic } from '@lead-delivery/contracts';
import { anEnrichedLead } from '@lead-delivery/testing';
import fc from 'fast-check';
import { renderJson, type JsonText } from './json-text';
import { hostileJsonBody, hostileString, type RawBody } from './json-text.arbitrary';
import { BASE_LEADS, mutateLead, mutation } from './lead-mutation.arbitrary';

/** Accounts a record may claim: routed nowhere, routed to the CRMs, or no account anyone knows. */
export const FUZZ_ACCOUNT = 'acct-hostile-plain';
const knownAccounts = fc.constantFrom(FUZZ_ACCOUNT, 'acct-austin-brokerage', 'acct-solo-agent');

export type HeaderEdit = { header: string; drop: true } | { header: string; value: string };

/** A record to produce; the harness adds the CloudEvents headers (then applies `headerEdits`). */
export interface HostileRecord {
  key: string | null;
  /** null: a tombstone. */
  value: RawBody | null;
  accountId: string;
  headerEdits: HeaderEdit[];
}

/** Headers a record may lose or get a hostile value for (never traceparent: the suite traces by it). */
const EDITABLE_HEADERS = [
  HEADERS.ceSpecVersion,
  HEADERS.ceId,
  HEADERS.ceType,
  HEADERS.ceSource,
  HEADERS.ceTime,
  HEADERS.ceSubject,
  HEADERS.contentType,
  HEADERS.accountId,
  HEADERS.leadKind,
  HEADERS.attempt,
  HEADERS.refusedCalls,
  HEADERS.notBefore,
  HEADERS.originalTopic,
  HEADERS.replayedFrom,
];

const headerValue = fc.oneof(
  hostileString,
  fc.constantFrom('', '1e400', '-1', 'NaN', '9999999999999999999999', 'not-a-date', '0001-01-01T00:00:00Z'),
);

const headerEdit: fc.Arbitrary<HeaderEdit> = fc.oneof(
  fc.record({ header: fc.constantFrom(...EDITABLE_HEADERS), drop: fc.constant(true as const) }),
  fc.record({ header: fc.constantFrom(...EDITABLE_HEADERS), value: headerValue }),
);

const BASE_DELIVERY: LeadDeliveryV1 = {
  lead_id: 'hostile-base-delivery',
  account_id: FUZZ_ACCOUNT,
  destination: 'hubspot',
  outcome: 'delivered',
  crm_record_id: '12345',
  attempts: 1,
  error: null,
  lead_timestamp: BASE_LEADS.enhanced.timestamp,
  delivered_at: BASE_LEADS.enhanced.timestamp,
  occurred_at: BASE_LEADS.enhanced.timestamp,
};

/** A valid event value of `topic` for `accountId`, as the platform's producers write it. */
export function baseEvent(topic: MainTopic, accountId: string, leadNumber: number): object {
  const lead = { ...BASE_LEADS.enhanced, lead_id: `hostile-record-${leadNumber}` };
  switch (topic) {
    case TOPICS.leadReceived:
      return { ...lead, warnings: [], raw: lead };
    case TOPICS.leadEnriched:
      return anEnrichedLead(accountId, { lead_id: lead.lead_id, timestamp: lead.timestamp });
    case TOPICS.leadDelivery:
      return { ...BASE_DELIVERY, lead_id: lead.lead_id, account_id: accountId };
  }
}

function eventValue(topic: MainTopic, accountId: fc.Arbitrary<string>): fc.Arbitrary<RawBody> {
  return fc
    .record({
      accountId,
      leadNumber: fc.nat({ max: 9_999 }),
      mutations: fc.array(mutation, { maxLength: 4 }),
    })
    .map(({ accountId: account, leadNumber, mutations }): JsonText =>
      mutateLead(baseEvent(topic, account, leadNumber), mutations),
    )
    .map(renderJson);
}

/** A raw record for `topic`: mostly its own events, mutated (or not), the rest anything at all. */
export function hostileRecord(topic: MainTopic): fc.Arbitrary<HostileRecord> {
  return fc
    .record({
      accountId: fc.oneof({ weight: 4, arbitrary: knownAccounts }, { weight: 1, arbitrary: hostileString }),
      keyKind: fc.constantFrom('lead' as const, 'hostile' as const, 'none' as const),
      hostileKey: hostileString,
      valueKind: fc.oneof(
        { weight: 6, arbitrary: fc.constant('event' as const) },
        { weight: 2, arbitrary: fc.constant('hostile' as const) },
        { weight: 1, arbitrary: fc.constantFrom('empty' as const, 'tombstone' as const) },
      ),
      event: eventValue(topic, knownAccounts),
      hostile: hostileJsonBody,
      headerEdits: fc.array(headerEdit, { maxLength: 2 }),
    })
    .map(({ accountId, keyKind, hostileKey, valueKind, event, hostile, headerEdits }) => ({
      key:
        keyKind === 'none' ? null : keyKind === 'hostile' ? hostileKey : `hostile-key-${hostileKey.length}`,
      value:
        valueKind === 'event' ? event : valueKind === 'hostile' ? hostile : valueKind === 'empty' ? '' : null,
      accountId,
      headerEdits,
    }));
}
