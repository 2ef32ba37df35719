import { toDatabaseError } from './database-error';

export interface ReachabilityLogger {
  warn(context: object, message: string): void;
}

export interface WhenReachableOptions {
  logger: ReachabilityLogger;
  /** Stops the retries (the app is shutting down). */
  stopped?: () => boolean;
}

/**
 * Runs `connect` until it succeeds, retrying with a doubling delay (0.5 s up to 10 s) and a warning per
 * failure while PostgreSQL is unreachable (a service may start before its database). Undefined once
 * `stopped()` turns true.
 */
export function whenReachable<T>(
  connect: () => Promise<T>,
  options: { logger: ReachabilityLogger; stopped?: never },
): Promise<T>;
export function whenReachable<T>(
  connect: () => Promise<T>,
  options: WhenReachableOptions,
): Promise<T | undefined>;
export async function whenReachable<T>(
  connect: () => Promise<T>,
  { logger, stopped = () => false }: WhenReachableOptions,
): Promise<T | undefined> {
  for (let delayMs = 500; !stopped(); delayMs = Math.min(delayMs * 2, 10_000)) {
    try {
      return await connect();
    } catch (error) {
      logger.warn({ err: toDatabaseError(error), retryInMs: delayMs }, 'PostgreSQL is not reachable yet');
      await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    }
  }
  return undefined;
}
