import { HEADERS, dlqTopicOf } from '@lead-delivery/contracts';
import type { OutgoingRecord } from '../producer/event-publisher';
import type { ConsumedRecord } from './consumed-record';

export interface RecordFailure {
  /** e.g. `invalid_record`, `rejected_by_crm`, `retries_exhausted`. */
  kind: string;
  reason: string;
  attempts?: number;
}

/** The topic a record originally came from: retry-topic copies carry it in a header. */
export function originalTopicOf(record: ConsumedRecord): string {
  return record.headers[HEADERS.originalTopic] ?? record.topic;
}

/** A copy of `record` for another topic, carrying where it came from and why it left. */
export function forwardedCopy(
  record: ConsumedRecord,
  topic: string,
  group: string,
  failure: RecordFailure,
  extraHeaders: Record<string, string> = {},
): OutgoingRecord {
  return {
    topic,
    key: record.key ?? '',
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...record.headers,
      [HEADERS.originalTopic]: originalTopicOf(record),
      [HEADERS.originalPartition]: record.headers[HEADERS.originalPartition] ?? String(record.partition),
      [HEADERS.originalOffset]: record.headers[HEADERS.originalOffset] ?? record.offset,
      [HEADERS.consumerGroup]: group,
      [HEADERS.errorKind]: failure.kind,
      [HEADERS.errorReason]: failure.reason.slice(0, 2_000),
      [HEADERS.errorAt]: new Date().toISOString(),
      ...(failure.attempts !== undefined ? { [HEADERS.attempt]: String(failure.attempts) } : {}),
      ...extraHeaders,
    },
  };
}

/** The dead-letter copy of a record for consumer group `group`. */
export function deadLetterOf(record: ConsumedRecord, group: string, failure: RecordFailure): OutgoingRecord {
  // A dead letter is not waiting for anything: drop the delay of an earlier stay on the retry topic.
  const { [HEADERS.notBefore]: _notBefore, ...headers } = record.headers;
  return forwardedCopy({ ...record, headers }, dlqTopicOf(originalTopicOf(record), group), group, failure);
}
