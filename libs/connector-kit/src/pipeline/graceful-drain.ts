import { settlesWithin, type MessagingLogger } from '@lead-delivery/messaging';

export interface GracefulDrainOptions {
  /** Resolves once no call is in flight. */
  calls(): Promise<void>;
  /** Resolves once every outcome handed over is durable. */
  outcomes(): Promise<void>;
  /** Calls still in flight (for the log). */
  inFlight(): number;
  /** The grace period is over: abort the calls, forget the outcomes not yet written. */
  abandon(): void;
  logger: MessagingLogger;
  destination: string;
}

/**
 * The end of a shutdown: calls in flight get `graceMs` to finish and have their outcomes written, then
 * are abandoned (their leads, never committed, are redelivered after the restart).
 */
export async function drainWithin(graceMs: number, options: GracefulDrainOptions): Promise<void> {
  const finished = (async () => {
    await options.calls();
    await options.outcomes();
  })();
  const settlement = await settlesWithin(finished, graceMs);
  if (settlement.status === 'rejected') throw settlement.reason;
  if (settlement.status === 'fulfilled') return;
  options.logger.warn(
    { destination: options.destination, calls: options.inFlight() },
    'shutdown grace period over; abandoning calls in flight (their leads will be redelivered)',
  );
  options.abandon();
}
