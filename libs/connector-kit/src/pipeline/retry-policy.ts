import { ExponentialBackoff, halfJitterGenerator } from 'cockatiel';
import type { ConnectorError } from '../connector/connector.error';

export interface RetrySettings {
  maxAttempts: number;
  maxRefusedCalls: number;
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
  /** CRM calls that carried the record, this one included unless the CRM refused it. */
  attempts: number;
  /** Calls that carried the record and that the CRM refused to process, this one included if it did. */
  refusedCalls: number;
  /** Retries already spent in memory by this process. */
  inlineRetries: number;
}

/**
 * A call the CRM refused to process at all: throttled (429) or unavailable (503, maintenance, unreachable).
 * The answer says nothing about the record and nothing was written, so it is counted apart from the
 * record's attempts: at 20 % refused calls, a delivery of several calls fails about half the time, and
 * counting those made a few leads in a thousand exhaust their attempts although nothing was wrong with them.
 */
export const refusedToProcess = (error: ConnectorError): boolean =>
  error.kind === 'rate_limited' || error.kind === 'unavailable';

/** Moves a refused call from the record's attempts to its refused calls (it was counted as an attempt). */
export function countRefusal(
  record: { attempts: number; refusedCalls: number },
  error: ConnectorError,
): void {
  if (!refusedToProcess(error)) return;
  record.attempts = Math.max(0, record.attempts - 1);
  record.refusedCalls += 1;
}

/** Why a record has used up its calls, if it has: `maxAttempts` attempts or `maxRefusedCalls` refused calls. */
export function exhaustion(
  record: Pick<FailedRecord, 'attempts' | 'refusedCalls'>,
  settings: Pick<RetrySettings, 'maxAttempts' | 'maxRefusedCalls'>,
): string | undefined {
  if (record.attempts >= settings.maxAttempts) return `gave up after ${record.attempts} attempts`;
  if (record.refusedCalls >= settings.maxRefusedCalls)
    return `gave up after ${record.refusedCalls} calls the CRM refused to process`;
  return undefined;
}

/**
 * What happens to a record after a failed call. Rejections are final. A retryable failure is retried in
 * memory while that is cheap (a short wait, and few retries unless the CRM refused the call outright) and
 * moved to the delayed retry topic otherwise, so that a record that must wait long never holds up its
 * partition; after `maxAttempts` calls, or `maxRefusedCalls` calls the CRM refused to process, it is
 * dead-lettered. The wait is the CRM's Retry-After when it sent one, else `backoffMs`, the account's
 * current backoff.
 */
export function decideRetry(
  failure: FailedRecord,
  backoffMs: number,
  settings: RetrySettings,
): RetryDecision {
  const { error, attempts, refusedCalls, inlineRetries } = failure;
  if (!error.retryable) return { action: 'dead-letter', kind: 'rejected_by_crm', reason: error.message };
  const exhausted = exhaustion(failure, settings);
  if (exhausted !== undefined) {
    return {
      action: 'dead-letter',
      kind: 'retries_exhausted',
      reason: `${exhausted}; last error (${error.kind}): ${error.message}`,
    };
  }
  // The CRM said when to come back: growing the wait beyond it on top only idles the account.
  const delayMs = error.retryAfterMs ?? backoffMs;
  // A refused call says nothing about the record: a short wait in memory is cheaper than a stay on the
  // retry topic (at least CONNECTOR_PARK_DELAY_INITIAL_MS), and maxRefusedCalls bounds the retries.
  const fewRetries = refusedToProcess(error) || inlineRetries < settings.inlineRetries;
  const inline = error.kind !== 'auth' && fewRetries && delayMs <= settings.inlineMaxDelayMs;
  if (inline) return { action: 'retry', delayMs };
  // The stays on the retry topic double, not the calls: a lead that spent its in-memory retries on a few
  // unlucky calls starts at the initial delay (at 20 % failed calls, counting them parked it for 40-80 s).
  const stays = Math.max(1, attempts + refusedCalls - inlineRetries);
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
