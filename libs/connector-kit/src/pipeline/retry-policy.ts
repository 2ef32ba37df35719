import { ExponentialBackoff, halfJitterGenerator } from 'cockatiel';
import type { ConnectorError } from '../connector/connector.error';

export interface RetrySettings {
  maxAttempts: number;
  inlineRetries: number;
  inlineMaxDelayMs: number;
  parkDelayInitialMs: number;
  parkDelayMaxMs: number;
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'park'; delayMs: number }
  | { action: 'dead-letter'; kind: 'rejected_by_crm' | 'retries_exhausted'; reason: string };

export interface FailedRecord {
  error: ConnectorError;
  /** CRM calls that carried the record, this one included. */
  attempts: number;
  /** Retries already spent in memory by this process. */
  inlineRetries: number;
}

/**
 * What happens to a record after a failed call. Rejections are final. A retryable failure is retried in
 * memory while that is cheap (few retries, short waits) and moved to the delayed retry topic otherwise,
 * so that a record that must wait long never holds up its partition; after `maxAttempts` calls it is
 * dead-lettered. `backoffMs` is the account's current backoff; a Retry-After is never undercut.
 */
export function decideRetry(
  failure: FailedRecord,
  backoffMs: number,
  settings: RetrySettings,
): RetryDecision {
  const { error, attempts, inlineRetries } = failure;
  if (!error.retryable) return { action: 'dead-letter', kind: 'rejected_by_crm', reason: error.message };
  if (attempts >= settings.maxAttempts) {
    return {
      action: 'dead-letter',
      kind: 'retries_exhausted',
      reason: `gave up after ${attempts} attempts; last error (${error.kind}): ${error.message}`,
    };
  }
  const delayMs = Math.max(error.retryAfterMs ?? 0, backoffMs);
  const inline =
    error.kind !== 'auth' && inlineRetries < settings.inlineRetries && delayMs <= settings.inlineMaxDelayMs;
  if (inline) return { action: 'retry', delayMs };
  // The stays on the retry topic double, not the calls: a lead that spent its in-memory retries on a few
  // unlucky calls starts at the initial delay (at 20 % failed calls, counting them parked it for 40-80 s).
  const stays = Math.max(1, attempts - inlineRetries);
  return { action: 'park', delayMs: Math.max(error.retryAfterMs ?? 0, parkDelayMs(stays, settings)) };
}

/**
 * How long a record stays on the retry topic the `stays`-th time: doubling from
 * `parkDelayInitialMs` up to `parkDelayMaxMs`, with half jitter (between half and all of it).
 */
export function parkDelayMs(
  stays: number,
  settings: Pick<RetrySettings, 'parkDelayInitialMs' | 'parkDelayMaxMs'>,
): number {
  let backoff = new ExponentialBackoff({
    generator: halfJitterGenerator,
    initialDelay: settings.parkDelayInitialMs,
    maxDelay: settings.parkDelayMaxMs,
  }).next();
  for (let step = 1; step < Math.max(1, stays); step += 1) backoff = backoff.next(undefined);
  return backoff.duration;
}
