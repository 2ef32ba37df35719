import { QueryFailedError } from 'typeorm';

/**
 * A database failure without the statement's parameters: TypeORM's QueryFailedError carries them, and
 * ours are lead payloads, which must never reach a log line or a dead-letter header.
 */
export class DatabaseError extends Error {
  constructor(
    message: string,
    /** The SQLSTATE, when the server answered. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export function toDatabaseError(error: unknown): Error {
  if (error instanceof QueryFailedError) {
    const code = (error.driverError as { code?: unknown }).code;
    return new DatabaseError(error.message, typeof code === 'string' ? code : undefined);
  }
  return error instanceof Error ? error : new Error(String(error));
}

// Class 22 (data exception: a value the column cannot hold), NOT NULL and CHECK violations, and
// 54000 (program limit, e.g. a key too long for its index) fail the same way on every retry.
const PERMANENT_CODES = new Set(['23502', '23514', '54000']);

/** True when the data itself cannot be stored, so retrying the same rows is pointless. */
export function isDataError(error: unknown): boolean {
  const code = error instanceof DatabaseError ? error.code : undefined;
  return code !== undefined && (code.startsWith('22') || PERMANENT_CODES.has(code));
}
