import type { DataSource } from 'typeorm';
import { toDatabaseError } from './database-error';

interface Logger {
  warn(context: object, message: string): void;
}

/**
 * Initialises a DataSource, retrying with backoff while PostgreSQL is unreachable (a service may start
 * before its database). Gives up only when `stopped()` turns true (the app is shutting down).
 */
export async function initializeWhenReachable(
  dataSource: DataSource,
  { logger, stopped = () => false }: { logger: Logger; stopped?: () => boolean },
): Promise<boolean> {
  for (let delayMs = 500; !stopped(); delayMs = Math.min(delayMs * 2, 10_000)) {
    try {
      await dataSource.initialize();
      return true;
    } catch (error) {
      logger.warn({ err: toDatabaseError(error), retryInMs: delayMs }, 'PostgreSQL is not reachable yet');
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }
  return false;
}
