import { DatabaseConfig } from '@lead-delivery/config';
import { initializeWhenReachable, runMigrationsExclusively, toDatabaseError } from '@lead-delivery/database';
import type { OutgoingRecord } from '@lead-delivery/messaging';
import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { GatewayConfig } from '../app.config';
import { createOutboxDataSource } from './outbox-data-source';
import { OutboxEntryEntity } from './outbox-entry.entity';

export interface OutboxEntry {
  id: string;
  record: OutgoingRecord;
}

/** What became of one row of a relay pass: sent, refused by Kafka for good (`reason`), or kept for later. */
export type RelayOutcome = { result: 'relayed' } | { result: 'refused'; reason: string } | { result: 'kept' };

export interface RelayPass {
  /** Rows locked and offered in this pass. */
  offered: number;
  relayed: number;
  deadLettered: Array<{ id: string; key: string; reason: string }>;
  kept: number;
}

/**
 * The PostgreSQL outbox. It connects (and migrates) in the background, so the gateway starts and serves
 * through Kafka even while PostgreSQL is unreachable; `ready` tells whether the outbox can take leads.
 */
@Injectable()
export class OutboxStore implements OnModuleInit, OnApplicationShutdown {
  private readonly dataSource: DataSource;
  private closing = false;

  constructor(
    database: DatabaseConfig,
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.dataSource = createOutboxDataSource(database.DATABASE_URL, database.DATABASE_POOL_SIZE);
  }

  get ready(): boolean {
    return this.dataSource.isInitialized;
  }

  onModuleInit(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** Stores one record in a single-row insert: it is either fully in the outbox or not at all. */
  async add(record: OutgoingRecord): Promise<void> {
    await this.repository().insert({
      topic: record.topic,
      messageKey: record.key,
      value: record.value.toString(),
      headers: record.headers,
    });
  }

  /**
   * Hands the oldest rows (locked, so replicas relay different rows) to `send`, and settles each row in the
   * same transaction by its outcome: relayed rows are deleted, refused ones move to the dead outbox with
   * their reason, the others stay. If `send` throws, every row stays.
   */
  async relayOldest(
    limit: number,
    send: (entries: OutboxEntry[]) => Promise<RelayOutcome[]>,
  ): Promise<RelayPass> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxEntryEntity[] = await manager
        .getRepository(OutboxEntryEntity)
        .createQueryBuilder('entry')
        .orderBy('entry.id', 'ASC')
        .limit(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      const pass: RelayPass = { offered: rows.length, relayed: 0, deadLettered: [], kept: 0 };
      if (rows.length === 0) return pass;
      const outcomes = await send(
        rows.map((row) => ({
          id: row.id,
          record: { topic: row.topic, key: row.messageKey, value: row.value, headers: row.headers },
        })),
      );
      const settled: string[] = [];
      for (const [index, row] of rows.entries()) {
        const outcome = outcomes[index] ?? { result: 'kept' };
        if (outcome.result === 'relayed') {
          settled.push(row.id);
        } else if (outcome.result === 'refused') {
          await manager.query(
            `INSERT INTO gateway_dead_outbox (id, topic, message_key, value, headers, created_at, reason)
             SELECT id, topic, message_key, value, headers, created_at, $2 FROM gateway_outbox WHERE id = $1`,
            [row.id, outcome.reason],
          );
          settled.push(row.id);
          pass.deadLettered.push({ id: row.id, key: row.messageKey, reason: outcome.reason });
        } else {
          pass.kept += 1;
        }
      }
      if (settled.length > 0) await manager.getRepository(OutboxEntryEntity).delete(settled);
      pass.relayed = settled.length - pass.deadLettered.length;
      return pass;
    });
  }

  async depth(): Promise<number> {
    return this.repository().count();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  private repository() {
    if (!this.dataSource.isInitialized) throw new Error('outbox database not connected');
    return this.dataSource.getRepository(OutboxEntryEntity);
  }

  private async connect(): Promise<void> {
    while (
      await initializeWhenReachable(this.dataSource, { logger: this.logger, stopped: () => this.closing })
    ) {
      try {
        if (this.config.DATABASE_MIGRATE_ON_START) await runMigrationsExclusively(this.dataSource);
        this.logger.info('outbox database connected');
        return;
      } catch (error) {
        // Shutdown closed the connection under the migrations: nothing left to do.
        if (this.closing) return;
        // Not ready without its table: start over (Kafka keeps serving meanwhile).
        this.logger.warn({ err: toDatabaseError(error) }, 'outbox migrations failed; retrying');
        if (this.dataSource.isInitialized) await this.dataSource.destroy();
        await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      }
    }
  }
}
