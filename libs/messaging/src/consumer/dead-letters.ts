import { HEADERS, dlqTopicOf, sourceOfRetryTopic } from '@lead-delivery/contracts';
import type { OutgoingRecord } from '../producer/event-publisher';
import type { ConsumedRecord } from './consumed-record';

export interface RecordFailure {
  /** e.g. `invalid_record`, `rejected_by_crm`, `retries_exhausted`. */
  kind: string;
  reason: string;
  attempts?: number;
}

/**
 * The topic a record originally came from, read from the name of the topic it was consumed from: never
 * from its `x-original-*` headers, which anyone who produces to a source topic can set (a forged
 * `x-original-topic` once sent dead letters to a topic that does not exist, and the partition stalled).
 */
export function originalTopicOf(record: ConsumedRecord): string {
  return sourceOfRetryTopic(record.topic) ?? record.topic;
}

/** Where the record was first consumed: a retry-topic copy carries it in headers, a source record is it. */
function originalPositionOf(record: ConsumedRecord): { partition: string; offset: string } {
  const fromRetryTopic = sourceOfRetryTopic(record.topic) !== undefined;
  const partition = fromRetryTopic ? record.headers[HEADERS.originalPartition] : undefined;
  const offset = fromRetryTopic ? record.headers[HEADERS.originalOffset] : undefined;
  return { partition: partition ?? String(record.partition), offset: offset ?? record.offset };
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
      [HEADERS.originalPartition]: originalPositionOf(record).partition,
      [HEADERS.originalOffset]: originalPositionOf(record).offset,
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
