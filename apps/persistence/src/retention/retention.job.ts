import { LOGGER } from '@lead-delivery/observability';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { PersistenceConfig } from '../app.config';
import { toDatabaseError } from '@lead-delivery/database';
import { PersistenceMetrics } from '../persistence.metrics';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHUNK = 1_000;

// Small chunks keep row locks short; SKIP LOCKED lets replicas sweep side by side.
const PURGE_CHUNK = `
  WITH expired AS (
    SELECT account_id, lead_id FROM leads
    WHERE raw_purged_at IS NULL AND lead_timestamp < $1
    ORDER BY lead_timestamp
    LIMIT ${CHUNK}
    FOR UPDATE SKIP LOCKED
  )
  UPDATE leads l SET raw = NULL, message = NULL, raw_purged_at = now(), updated_at = now()
  FROM expired WHERE (l.account_id, l.lead_id) = (expired.account_id, expired.lead_id)`;

/** Purges raw payloads and messages of leads older than RETENTION_DAYS, every RETENTION_SWEEP_INTERVAL_MS. */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PersistenceConfig,
    private readonly metrics: PersistenceMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweepInBackground(), this.config.RETENTION_SWEEP_INTERVAL_MS);
    this.sweepInBackground();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Purges every expired lead; resolves with how many. */
  async purgeExpired(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.RETENTION_DAYS * DAY_MS);
    let purged = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(PURGE_CHUNK, [cutoff])) as [unknown, number];
      purged += count;
      this.metrics.leadsPurged(count);
      if (count < CHUNK) return purged;
    }
  }

  private sweepInBackground(): void {
    if (this.sweeping) return;
    this.sweeping = this.purgeExpired()
      .then((purged) => {
        if (purged > 0)
          this.logger.info(
            { purged, retentionDays: this.config.RETENTION_DAYS },
            'retention: payloads purged',
          );
      })
      .catch((error) =>
        this.logger.warn({ err: toDatabaseError(error) }, 'retention sweep failed; retried next interval'),
      )
      .finally(() => (this.sweeping = undefined));
  }
}
