import { HEADERS } from '@lead-delivery/contracts';
import type { MessagingLogger } from '../messaging-logger';
import type { EventPublisher, OutgoingRecord } from './event-publisher';
import { sizeRefusalOf } from './record-refusal';

/** The value of a dead letter sent without its own: small, and saying where the record is. */
export interface OmittedValue {
  omitted: 'value too large for the DLQ';
  /** Size of the value the broker refused. */
  bytes: number;
}

export interface DeadLetterSendOptions {
  logger: MessagingLogger;
  /** Called once per dead letter sent without its value (a metric). */
  valueOmitted(topic: string): void;
}

/**
 * Sends `record`; resolves with the broker's size refusal (`MESSAGE_TOO_LARGE`...) when it will not take
 * the record for its size, undefined once sent. Other failures are thrown. A refused record fails the whole
 * produce request it was batched into, so a refusal is believed only when the record, sent again on its
 * own, is refused again.
 */
export async function sendUnlessTooLarge(
  publisher: EventPublisher,
  record: OutgoingRecord,
): Promise<string | undefined> {
  try {
    await publisher.send(record);
    return undefined;
  } catch (error) {
    if (sizeRefusalOf(error) === undefined) throw error;
  }
  try {
    await publisher.send(record);
    return undefined;
  } catch (error) {
    const refusal = sizeRefusalOf(error);
    if (refusal === undefined) throw error;
    return refusal;
  }
}

/** `record` with its value replaced by an OmittedValue stub; key and headers kept. */
export function withValueOmitted(record: OutgoingRecord, refusal: string): OutgoingRecord {
  const value: OmittedValue = { omitted: 'value too large for the DLQ', bytes: byteLength(record.value) };
  return {
    ...record,
    value: JSON.stringify(value),
    headers: { ...record.headers, [HEADERS.valueOmitted]: refusal },
  };
}

/**
 * Sends a dead letter. One the broker refuses for its size (it would be refused forever) goes with its
 * value replaced by a stub (`withValueOmitted`): its `x-original-*` headers name the record, which stays
 * in its source topic for the retention period. Other failures are thrown, for the caller to retry.
 */
export async function sendDeadLetter(
  publisher: EventPublisher,
  deadLetter: OutgoingRecord,
  { logger, valueOmitted }: DeadLetterSendOptions,
): Promise<void> {
  const refusal = await sendUnlessTooLarge(publisher, deadLetter);
  if (refusal === undefined) return;
  await publisher.send(withValueOmitted(deadLetter, refusal));
  valueOmitted(deadLetter.topic);
  const { headers } = deadLetter;
  logger.warn(
    {
      topic: deadLetter.topic,
      refusal,
      bytes: byteLength(deadLetter.value),
      originalTopic: headers[HEADERS.originalTopic],
      originalPartition: headers[HEADERS.originalPartition],
      originalOffset: headers[HEADERS.originalOffset],
    },
    'dead letter too large for its topic; sent without its value (the record stays in its source topic)',
  );
}

const byteLength = (value: string | Buffer) =>
  typeof value === 'string' ? Buffer.byteLength(value) : value.length;
