import { types } from 'node:util';
import { DatabaseError as PgDatabaseError } from 'pg';

/**
 * A PostgreSQL failure reduced to its message and SQLSTATE, in the shape of libs/database's DatabaseError
 * (not imported: libs/database loads TypeORM, which the gateway no longer needs). The driver's own error
 * also carries the server's detail and context, which may quote row values (lead payloads): never logged.
 */
export class OutboxDatabaseError extends Error {
  constructor(
    message: string,
    /** The SQLSTATE. */
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

/** What to log of an outbox failure: PostgreSQL's errors without row values, other errors as they are. */
export function toOutboxDatabaseError(error: unknown): Error {
  if (error instanceof PgDatabaseError) return new OutboxDatabaseError(error.message, error.code);
  // Node's own errors (a refused socket) are not `instanceof Error` in another realm (a Jest sandbox).
  return error instanceof Error || types.isNativeError(error) ? error : new Error(String(error));
}
