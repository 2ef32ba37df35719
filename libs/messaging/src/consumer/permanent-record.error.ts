import type { ConsumedRecord } from './consumed-record';

/**
 * Thrown by a handler when one record can never be processed (undecodable, violates the contract):
 * the runner moves that record to the group's dead-letter topic at once and hands the others back.
 * Other errors are classified (classifyFailure): outages are retried in place, record failures are
 * isolated and dead-lettered after a few attempts.
 */
export class PermanentRecordError extends Error {
  constructor(
    readonly record: ConsumedRecord,
    readonly reason: string,
  ) {
    super(`record ${record.topic}/${record.partition}@${record.offset} cannot be processed: ${reason}`);
    this.name = 'PermanentRecordError';
  }
}

/** Parses a record's JSON value, or throws PermanentRecordError. */
export function decodeJson<T>(record: ConsumedRecord): T {
  if (!record.value) throw new PermanentRecordError(record, 'empty value');
  try {
    return JSON.parse(record.value.toString('utf8')) as T;
  } catch {
    // Not JSON.parse's message: it quotes the input, which may hold personal data.
    throw new PermanentRecordError(record, 'value is not JSON');
  }
}
