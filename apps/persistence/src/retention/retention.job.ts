import { toDatabaseError } from '@lead-delivery/database';
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
import { LOCK_FOR_ERASURE } from '../ingest/lead-history.sql';
import { PersistenceMetrics } from '../persistence.metrics';
import { Clock } from '../privacy/clock';
import { parseRetentionByAccount } from '../privacy/contact-retention';
import { eraseLeads } from '../privacy/lead-erasure';
import { DELETE_PEOPLE_WITHOUT_LEADS, EXPIRED_CONTACTS } from './contact-retention.sql';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHUNK = 1_000;
export const RETENTION_EVENT_SOURCE = '/persistence/retention';

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

interface ExpiredLead {
  account_id: string;
  lead_id: string;
  person_key: string | null;
}

/**
 * Every RETENTION_SWEEP_INTERVAL_MS: purges raw payloads and messages of leads older than RETENTION_DAYS,
 * and erases the personal data of leads older than their account's contact retention
 * (CONTACT_RETENTION_DAYS_BY_ACCOUNT, else CONTACT_RETENTION_DAYS) as an erasure would, keeping their
 * non-personal facts (score, tier, routing, deliveries, times) for statistics.
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private readonly ownRetention: Map<string, number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: PersistenceConfig,
    private readonly metrics: PersistenceMetrics,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.ownRetention = parseRetentionByAccount(config.CONTACT_RETENTION_DAYS_BY_ACCOUNT ?? '').days;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweepInBackground(), this.config.RETENTION_SWEEP_INTERVAL_MS);
    this.sweepInBackground();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Purges every expired raw payload; resolves with how many. */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.RETENTION_DAYS * DAY_MS);
    let purged = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(PURGE_CHUNK, [cutoff])) as [unknown, number];
      purged += count;
      this.metrics.leadsPurged(count);
      if (count < CHUNK) return purged;
    }
  }

  /** Erases the personal data of every lead past its contact retention; resolves with how many. */
  async eraseExpiredContacts(): Promise<number> {
    let erased = 0;
    for (;;) {
      const count = await this.eraseExpiredChunk();
      erased += count;
      this.metrics.contactsErasedByRetention(count);
      if (count < CHUNK) return erased;
    }
  }

  private eraseExpiredChunk(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(LOCK_FOR_ERASURE);
      const expired = (await manager.query(EXPIRED_CONTACTS, [
        this.clock.now(),
        [...this.ownRetention.keys()],
        [...this.ownRetention.values()],
        this.config.CONTACT_RETENTION_DAYS,
        CHUNK,
      ])) as ExpiredLead[];
      await eraseLeads(manager, expired, {
        source: RETENTION_EVENT_SOURCE,
        eventIdPrefix: 'contact-retention',
        details: { reason: 'contact_retention' },
      });
      const people = expired.filter((lead) => lead.person_key !== null);
      await manager.query(DELETE_PEOPLE_WITHOUT_LEADS, [
        people.map((lead) => lead.account_id),
        people.map((lead) => lead.person_key),
      ]);
      return expired.length;
    });
  }

  private sweepInBackground(): void {
    if (this.sweeping) return;
    this.sweeping = (async () => {
      const purged = await this.purgeExpired();
      const erased = await this.eraseExpiredContacts();
      if (purged > 0 || erased > 0)
        this.logger.info(
          {
            purged,
            erased,
            retentionDays: this.config.RETENTION_DAYS,
            contactRetentionDays: this.config.CONTACT_RETENTION_DAYS,
          },
          'retention: payloads purged, contact data erased',
        );
    })()
      .catch((error) =>
        this.logger.warn({ err: toDatabaseError(error) }, 'retention sweep failed; retried next interval'),
      )
      .finally(() => (this.sweeping = undefined));
  }
}
