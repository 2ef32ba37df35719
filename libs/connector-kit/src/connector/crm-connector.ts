import type { DeliverySkipReason, LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { CallBudget, Credential } from '../budget/call-budget';
import type { ConnectorError } from './connector.error';

/** What the CRM allows; environment variables may lower these, never raise the batch size. */
export interface ConnectorLimits {
  /** Most records one call may carry (HubSpot batch upsert 100, Salesforce sObject Collections 200). */
  maxBatchSize: number;
  /**
   * HTTP calls one credential (portal, org) may make per `callWindowMs`, across every replica, until the
   * CRM's rate-limit headers or the account's own `limits` say otherwise.
   */
  callsPerWindow: number;
  callWindowMs: number;
  /**
   * A delivery is requests in a row of which only the first may not overlap the account's previous delivery
   * (HubSpot: the contact upsert, then the notes that need its ids). When true, the account's next batch
   * starts as soon as the delivery in flight asks the budget for its second request, so at a trickle a lead
   * does not wait for the previous one's later requests. Two deliveries of an account never send their
   * first requests at once. Without it, one delivery per account at a time.
   */
  pipelined?: boolean;
}

export interface DeliveryRecord<Mapped> {
  /** The lead id: the key that makes the CRM write an upsert. */
  key: string;
  record: Mapped;
  /** The whole event, for what the mapping does not carry (e.g. the message for a note). */
  event: LeadEnrichedV1;
  /** 1 on the first call that carries this record. */
  attempt: number;
  /**
   * Set by the delivery ledger. `false`: this connector has never written the lead, so what is not
   * idempotent (a note, a Task) is written without looking for it first. `true` or unset: an earlier call
   * may have written it (its answer was lost), so the CRM must be asked first.
   */
  outcomeUnknown?: boolean;
}

/** One CRM call: records of a single account (one CRM org or portal, one set of credentials). */
export interface DeliveryBatch<Mapped> {
  accountId: string;
  records: DeliveryRecord<Mapped>[];
}

export interface DeliveryContext {
  /** Aborted when the app shuts down and the call outlives the shutdown grace period. */
  signal: AbortSignal;
  /**
   * The call budget of the account's credential: `acquire()` before every HTTP request (the first unit is
   * already taken when `deliver` starts), `report()` the CRM's rate-limit headers of every answer.
   */
  budget: CallBudget;
}

/**
 * A record's outcome. A failure whose error is marked `nothingWritten(error)` says the CRM certainly wrote
 * nothing of the record that is not idempotent (refused, or the call stopped before writing it): its retry
 * then writes without a lookup. Unmarked, the retry looks first.
 *
 * Skipped: the CRM answered that the account declines the lead on purpose (e.g. Follow Up Boss's 204 for
 * an archived lead source) and wrote nothing. Not a failure: never retried, never dead-lettered; the
 * `skipped` outcome is published and the offset committed. `detail` is the CRM's answer, for operators.
 */
export type RecordOutcome =
  | { ok: true; crmRecordId: string }
  | { ok: false; error: ConnectorError }
  | { ok: false; skipped: DeliverySkipReason; detail: string };

/**
 * Everything a CRM connector supplies; connector-kit does the rest (consumption, batching, rate limit,
 * retries, circuit breakers, dead letters, delivery events, offsets).
 */
export interface CrmConnector<Mapped> {
  /** The routing destination id (`salesforce`, `hubspot`): the consumer group is `connector-<destination>`. */
  readonly destination: string;
  readonly limits: ConnectorLimits;
  /** Pure. Throwing (preferably a MappingError) dead-letters the lead: a replay after a fix delivers it. */
  map(event: LeadEnrichedV1): Mapped;
  /**
   * Upserts the records (idempotent: the same lead twice leaves one CRM record) and returns one outcome per
   * record, in input order. Throws when the call as a whole failed; wrap what is thrown before anything
   * not idempotent may have been written in `nothingWritten(error)`.
   */
  deliver(batch: DeliveryBatch<Mapped>, context: DeliveryContext): Promise<RecordOutcome[]>;
  /** Turns what `deliver` threw into a ConnectorError (a thrown ConnectorError is taken as is). */
  classify(error: unknown): ConnectorError;
  /**
   * The credential the account's calls are made with: accounts with the same credential share one call
   * budget. Without it each account is a credential of its own.
   */
  credentialOf?(accountId: string): Credential;
}

export const delivered = (crmRecordId: string): RecordOutcome => ({ ok: true, crmRecordId });
export const failed = (error: ConnectorError): RecordOutcome => ({ ok: false, error });
export const skipped = (reason: DeliverySkipReason, detail: string): RecordOutcome => ({
  ok: false,
  skipped: reason,
  detail,
});
/** A record the CRM refused or could not take: one the failure policy handles (a skip is not one). */
export const isFailure = (outcome: RecordOutcome): outcome is { ok: false; error: ConnectorError } =>
  !outcome.ok && 'error' in outcome;
