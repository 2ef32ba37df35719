import { KafkaJSProtocolError } from 'kafkajs';

// Errors with which the broker refuses a record for what it is: sending it again, now or later, fails the
// same way. Everything else (leadership changes, timeouts, a broker that is down) may pass on a retry.
const RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
]);
// Refusals of a record for its size: the same bytes never pass, smaller ones do.
const SIZE_REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const MAX_CAUSES = 5;

/**
 * The Kafka error name (`MESSAGE_TOO_LARGE`...) when a send failed because the broker refuses the record
 * for good, else undefined (a retriable failure). kafkajs wraps the broker's error in its retry errors, so
 * the causes are followed. A refused record fails the whole produce request it was batched into: a
 * refusal names the request, not necessarily each of its records.
 */
export function recordRefusalOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let hop = 0; hop < MAX_CAUSES && current instanceof Error; hop++) {
    if (current instanceof KafkaJSProtocolError && RECORD_REFUSALS.has(current.type)) return current.type;
    current = current.cause;
  }
  return undefined;
}

/** The Kafka error name when the broker refused a send for the size of a record it carried, else undefined. */
export function sizeRefusalOf(error: unknown): string | undefined {
  const refusal = recordRefusalOf(error);
  return refusal !== undefined && SIZE_REFUSALS.has(refusal) ? refusal : undefined;
}
