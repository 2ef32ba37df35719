import {
  delivered,
  failed,
  type ConnectorError,
  type ConnectorLimits,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type RecordOutcome,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { FollowupbossApi } from './followupboss-api/followupboss-api.client';
import { classifyFollowupbossFailure, classifyRecordFailure } from './followupboss-failure.classifier';
import { mapFollowupbossRecord, type FollowupbossRecord } from './record/followupboss-record.mapper';

/** Leads into Follow Up Boss: a batch upsert by lead id. */
export class FollowupbossConnector implements CrmConnector<FollowupbossRecord> {
  readonly destination = 'followupboss';
  readonly limits: ConnectorLimits = {
    maxBatchSize: 1,
    callsPerWindow: 250,
    callWindowMs: 10_000,
  };

  constructor(private readonly api: FollowupbossApi) {}

  map(event: LeadEnrichedV1): FollowupbossRecord {
    return mapFollowupbossRecord(event);
  }

  async deliver(
    { records }: DeliveryBatch<FollowupbossRecord>,
    { signal }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    // A lead twice in one call (a redelivery) is sent once: many CRMs refuse a batch naming a key twice.
    const unique = [...new Map(records.map(({ record }) => [record.externalId, record])).values()];
    const results = await this.api.upsertRecords(unique, signal);
    const byKey = new Map(unique.map((record, index) => [record.externalId, results[index]]));
    return records.map(({ record }) => {
      const result = byKey.get(record.externalId);
      return result?.ok && result.id ? delivered(result.id) : failed(classifyRecordFailure(result));
    });
  }

  classify(error: unknown): ConnectorError {
    return classifyFollowupbossFailure(error);
  }
}
