import { recordRefusalOf } from '../producer/record-refusal';

/**
 * What a handler failure means for the record that was being handled:
 * - `infrastructure`: something the record does not cause is unavailable (broker or database down or
 *   unreachable, connection reset, timeout, pool exhausted, deadlock): retry in place, commit nothing,
 *   for as long as it takes.
 * - `record`: the record itself fails (cannot be decoded, overflows the stack, has a shape the code does
 *   not expect, holds data the database refuses) or the failure is unknown: a bounded number of attempts,
 *   then the dead-letter topic, so that the records behind it move on.
 */
export type FailureClass = 'infrastructure' | 'record';

/** Knowledge of one dependency's errors (e.g. libs/database for PostgreSQL); undefined when it does not know. */
export type FailureClassifier = (error: unknown) => FailureClass | undefined;

/** Thrown by a handler when a dependency it needs is not there yet (e.g. a producer still connecting). */
export class DependencyUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}

// Socket and DNS failures of Node (libuv error codes), whatever library wraps them.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

const MAX_CAUSES = 8;

/** The error and the errors it wraps (`cause`, kafkajs' `originalError`), outermost first. */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < MAX_CAUSES) {
    if (chain.includes(current)) break;
    chain.push(current);
    const { cause, originalError } = current as { cause?: unknown; originalError?: unknown };
    current = cause ?? originalError;
  }
  return chain;
}

function isTransportFailure(error: object): FailureClass | undefined {
  const { name, code } = error as { name?: unknown; code?: unknown };
  if (error instanceof DependencyUnavailableError) return 'infrastructure';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'infrastructure';
  if (name === 'TimeoutError') return 'infrastructure';
  // The broker refusing a record for what it is (too large, invalid) is about the record; every other
  // Kafka failure is about the cluster.
  if (typeof name === 'string' && name.startsWith('KafkaJS')) {
    return recordRefusalOf(error) ? 'record' : 'infrastructure';
  }
  return undefined;
}

/**
 * Classifies a handler failure: the dependency classifiers are asked first (the first answer wins), then
 * what the runner knows itself (network, Kafka, timeouts), along the error's chain of causes. Anything
 * nobody recognises is a record failure: bounded attempts can only lose time, while an unbounded retry of
 * an unknown error is exactly how one record stalls a partition.
 */
export function classifyFailure(
  error: unknown,
  classifiers: readonly FailureClassifier[] = [],
): FailureClass {
  for (const cause of causeChain(error)) {
    for (const classify of classifiers) {
      const answer = classify(cause);
      if (answer) return answer;
    }
    const answer = isTransportFailure(cause);
    if (answer) return answer;
  }
  return 'record';
}
