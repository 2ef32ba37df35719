import { classifyDatabaseFailure } from '@lead-delivery/database';
import { classifyFailure } from '@lead-delivery/messaging';

interface StoreLogger {
  warn(context: object, message: string): void;
}

export interface StoreStatementOptions {
  /** What the statement does, for the log line (`begin delivery ledger`). */
  what: string;
  /** Aborted at shutdown: the retries stop and the statement's failure is thrown. */
  signal: AbortSignal;
  logger: StoreLogger;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Runs a statement of the connector store until it passes. While PostgreSQL is unavailable (down,
 * unreachable, no connection within the connect timeout, a statement timeout: messaging's
 * `infrastructure` with libs/database's knowledge) it retries in place, with a doubling delay and a warning
 * per failure, until `signal` aborts (shutdown). The CRM call that needs it neither fails its leads nor
 * spends their attempts meanwhile, and nothing of them is committed; after an abort they stay unsettled
 * and are redelivered. Data the store cannot hold (a NUL in a lead id, a key too long for its index:
 * libs/database's `record`) is thrown as a RangeError caused by the database error, which the kit takes
 * for a failure on a record's own data: it isolates that lead and dead-letters it (`record_failed`) while
 * the others are delivered. Any other failure is thrown as it is.
 */
export async function runStoreStatement<T>(
  run: () => Promise<T>,
  { what, signal, logger, initialDelayMs = 250, maxDelayMs = 5_000 }: StoreStatementOptions,
): Promise<T> {
  let delayMs = initialDelayMs;
  for (let failures = 1; ; failures += 1) {
    try {
      return await run();
    } catch (error) {
      if (classifyDatabaseFailure(error) === 'record') {
        throw new RangeError(`the connector store refused the data (${what}): ${messageOf(error)}`, {
          cause: error,
        });
      }
      if (signal.aborted || classifyFailure(error, [classifyDatabaseFailure]) !== 'infrastructure') {
        throw error;
      }
      logger.warn(
        { err: error, statement: what, failures, retryInMs: delayMs },
        'connector store unavailable; retrying the statement',
      );
      await sleep(delayMs, signal);
      if (signal.aborted) throw error;
      delayMs = Math.min(maxDelayMs, delayMs * 2);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
