import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { ConnectorError } from './connector.error';

/** What the CRM allows; environment variables may lower these, never raise the batch size. */
export interface ConnectorLimits {
  /** Most records one call may carry (HubSpot batch upsert 100, Salesforce sObject Collections 200). */
  maxBatchSize: number;
  /** Sustained calls per second (the token bucket's refill rate). */
  requestsPerSecond: number;
  /** Calls that may go out back to back after a quiet spell (the bucket's size); defaults to requestsPerSecond. */
  burst?: number;
}

export interface DeliveryRecord<Mapped> {
  /** The lead id: the key that makes the CRM write an upsert. */
  key: string;
  record: Mapped;
  /** The whole event, for what the mapping does not carry (e.g. the message for a note). */
  event: LeadEnrichedV1;
  /** 1 on the first call that carries this record. */
  attempt: number;
}

/** One CRM call: records of a single account (one CRM org or portal, one set of credentials). */
export interface DeliveryBatch<Mapped> {
  accountId: string;
  records: DeliveryRecord<Mapped>[];
}

export interface DeliveryContext {
  /** Aborted when the app shuts down and the call outlives the shutdown grace period. */
  signal: AbortSignal;
}

export type RecordOutcome = { ok: true; crmRecordId: string } | { ok: false; error: ConnectorError };

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
   * record, in input order. Throws when the call as a whole failed.
   */
  deliver(batch: DeliveryBatch<Mapped>, context: DeliveryContext): Promise<RecordOutcome[]>;
  /** Turns what `deliver` threw into a ConnectorError (a thrown ConnectorError is taken as is). */
  classify(error: unknown): ConnectorError;
}

export const delivered = (crmRecordId: string): RecordOutcome => ({ ok: true, crmRecordId });
export const failed = (error: ConnectorError): RecordOutcome => ({ ok: false, error });
