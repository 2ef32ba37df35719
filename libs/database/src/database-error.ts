import { types } from 'node:util';
import { DatabaseError as PgDatabaseError } from 'pg';

// Errors raised by Node itself (a refused socket) are not `instanceof Error` in another realm (a Jest
// sandbox, a worker); isNativeError recognises them everywhere.
const isError = (error: unknown): error is Error => error instanceof Error || types.isNativeError(error);

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

/**
 * TypeORM's QueryFailedError, known by its name and driver error rather than by `instanceof`: importing the
 * class would load TypeORM into the apps that never use it (the connectors).
 */
function isQueryFailedError(error: unknown): error is Error & { driverError: unknown } {
  return isError(error) && error.name === 'QueryFailedError' && 'driverError' in error;
}

/**
 * What may be logged of a database failure: its message and SQLSTATE. TypeORM's QueryFailedError carries the
 * statement's parameters and node-postgres's error the server's `detail` and `where`, which quote row values
 * ("Failing row contains (...)"): neither is kept. Other errors (a refused socket) are returned as they are.
 */
export function toDatabaseError(error: unknown): Error {
  if (isQueryFailedError(error)) {
    const code = (error.driverError as { code?: unknown } | undefined)?.code;
    return new DatabaseError(error.message, typeof code === 'string' ? code : undefined);
  }
  if (error instanceof PgDatabaseError) return new DatabaseError(error.message, error.code);
  return isError(error) ? error : new Error(String(error));
}

// Class 22 (data exception: a value the column cannot hold), NOT NULL and CHECK violations, and class 54
// (program limit exceeded: a key too long for its index, a document nested deeper than the server's stack
// allows) fail the same way on every retry.
const PERMANENT_CODES = new Set(['23502', '23514']);
const PERMANENT_CLASSES = ['22', '54'];

/** True when the data itself cannot be stored, so retrying the same rows is pointless. */
export function isDataError(error: unknown): boolean {
  const code = sqlStateOf(error);
  return code !== undefined && (PERMANENT_CLASSES.includes(code.slice(0, 2)) || PERMANENT_CODES.has(code));
}

// The server is unreachable, shutting down, out of resources or in the way of this transaction
// (08 connection, 28 authentication, 3D database missing, 53 resources, 57 operator intervention and
// statement timeout, 58 system error); or the schema is not what the code expects (42: a migration has
// not run, a grant is missing), which an operator fixes without the record changing.
const UNAVAILABLE_CLASSES = ['08', '28', '3D', '42', '53', '57', '58'];
// Serialization failure, deadlock, lock timeout, idle transaction timeout: the next attempt may pass.
const CONTENTION_CODES = new Set(['40001', '40P01', '55P03', '25P03']);
// node-postgres and pg-pool failures that carry no SQLSTATE: the connection broke or none could be had.
const CONNECTION_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|Query read timeout|Connection is closed)/;

/**
 * What a PostgreSQL failure means for the record being stored, in the shape of messaging's
 * FailureClassifier (this lib does not depend on messaging): `infrastructure` when the database is
 * unavailable or contended, `record` when it refuses the data, undefined when it is not a database error.
 */
export function classifyDatabaseFailure(error: unknown): 'infrastructure' | 'record' | undefined {
  if (isDataError(error)) return 'record';
  const code = sqlStateOf(error);
  if (code !== undefined) {
    return UNAVAILABLE_CLASSES.includes(code.slice(0, 2)) || CONTENTION_CODES.has(code)
      ? 'infrastructure'
      : undefined;
  }
  return isError(error) && CONNECTION_MESSAGES.test(error.message) ? 'infrastructure' : undefined;
}

// Five characters, digits and capitals; Node's own error codes (ECONNRESET, EPIPE) start with E, which no
// SQLSTATE class does.
const SQLSTATE = /^[0-9A-DF-Z][0-9A-Z]{4}$/;

/** The SQLSTATE of a failed query, whether TypeORM's, ours (DatabaseError) or the driver's. */
function sqlStateOf(error: unknown): string | undefined {
  const known = isQueryFailedError(error) ? toDatabaseError(error) : error;
  if (known instanceof DatabaseError) return known.code;
  const code = isError(known) ? (known as { code?: unknown }).code : undefined;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}
