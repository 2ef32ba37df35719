import { findTooDeepJson } from '@lead-delivery/contracts';
import type { ConsumedRecord } from './consumed-record';

/**
 * Deepest nesting of objects and arrays a record value may have. Above what the gateway lets through
 * (MAX_JSON_DEPTH at most 256, wrapped by the event), far below what the recursive walks after parsing
 * survive (JSON.stringify, class-transformer, PostgreSQL's jsonb parser): a deeper record would overflow
 * the stack there on every attempt.
 */
export const MAX_RECORD_JSON_DEPTH = 512;
const MAX_POINTER_LENGTH = 100;

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

/** Parses a record's JSON value, or throws PermanentRecordError (also when it nests too deep). */
export function decodeJson<T>(record: ConsumedRecord): T {
  if (!record.value || record.value.length === 0) throw new PermanentRecordError(record, 'empty value');
  const text = record.value.toString('utf8');
  const tooDeep = findTooDeepJson(text, MAX_RECORD_JSON_DEPTH);
  if (tooDeep !== undefined) {
    const where = tooDeep.length > MAX_POINTER_LENGTH ? `${tooDeep.slice(0, MAX_POINTER_LENGTH)}…` : tooDeep;
    throw new PermanentRecordError(
      record,
      `value nests deeper than ${MAX_RECORD_JSON_DEPTH} levels at ${where}`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    // Not JSON.parse's message: it quotes the input, which may hold personal data.
    throw new PermanentRecordError(record, 'value is not JSON');
  }
}
