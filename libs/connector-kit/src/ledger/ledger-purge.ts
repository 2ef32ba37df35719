import type { DeliveryLedger } from './delivery-ledger';

interface PurgeLogger {
  warn(context: object, message: string): void;
}

const HOUR_MS = 3_600_000;

/**
 * Deletes ledger rows older than the retention, hourly, in slices (short transactions). The retention
 * must outlast every topic a lead can come back from (a DLQ replay): an older lead would be written again
 * without a lookup.
 */
export class LedgerPurge {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ledger: DeliveryLedger,
    private readonly retentionMs: number,
    private readonly logger: PurgeLogger,
    private readonly intervalMs = HOUR_MS,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce(), this.intervalMs).unref();
  }

  /** Purges until nothing old is left; a failure is logged and retried at the next interval. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      try {
        while ((await this.ledger.purge(this.retentionMs)) > 0 && this.timer);
      } catch (error) {
        this.logger.warn({ err: error }, 'delivery ledger purge failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
