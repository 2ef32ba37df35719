import { DatabaseConfig } from '@lead-delivery/config';
import type { OutgoingRecord } from '@lead-delivery/messaging';
import { LOGGER } from '@lead-delivery/observability';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { Logger } from 'pino';
import { GatewayConfig } from '../app.config';
import { migrateOutbox } from './migrate-outbox';
import { toDatabaseError } from '@lead-delivery/database';
import { createOutboxPool } from './outbox-pool';

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
 * The PostgreSQL outbox, on node-postgres directly. It connects (and migrates) in the background, so the
 * gateway starts and serves through Kafka even while PostgreSQL is unreachable; `ready` tells whether the
 * outbox can take leads.
 */
@Injectable()
export class OutboxStore implements OnModuleInit, OnApplicationShutdown {
  private readonly pool: Pool;
  /** Clients of relay passes under way, which shutdown must not wait for (a pass waits for Kafka). */
  private readonly inTransaction = new Set<PoolClient>();
  private connected = false;
  private closing: Promise<void> | undefined;

  constructor(
    database: DatabaseConfig,
    private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.pool = createOutboxPool(database.DATABASE_URL, database.DATABASE_POOL_SIZE);
    // An idle connection the server dropped: the pool discards it and opens another on demand.
    this.pool.on('error', this.onConnectionLost());
  }

  get ready(): boolean {
    return this.connected && this.closing === undefined;
  }

  onModuleInit(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing ??= this.close();
    await this.closing;
  }

  /**
   * Closes the connections of passes still under way, as TypeORM did: their transactions roll back, so
   * their rows stay for the next gateway. Then ends the pool.
   */
  private async close(): Promise<void> {
    for (const client of this.inTransaction) this.releaseOnce(client, true);
    await this.pool.end();
  }

  /** Stores one record in a single-row insert: it is either fully in the outbox or not at all. */
  async add(record: OutgoingRecord): Promise<void> {
    await this.query(
      'INSERT INTO gateway_outbox (topic, message_key, value, headers) VALUES ($1, $2, $3, $4)',
      [record.topic, record.key, record.value.toString(), JSON.stringify(record.headers)],
    );
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
    return this.transaction(async (client) => {
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, message_key, value, headers FROM gateway_outbox
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      const pass: RelayPass = { offered: rows.length, relayed: 0, deadLettered: [], kept: 0 };
      if (rows.length === 0) return pass;
      const outcomes = await send(
        rows.map((row) => ({
          id: row.id,
          record: { topic: row.topic, key: row.message_key, value: row.value, headers: row.headers },
        })),
      );
      const settled: string[] = [];
      for (const [index, row] of rows.entries()) {
        const outcome = outcomes[index] ?? { result: 'kept' };
        if (outcome.result === 'relayed') {
          settled.push(row.id);
        } else if (outcome.result === 'refused') {
          await client.query(
            `INSERT INTO gateway_dead_outbox (id, topic, message_key, value, headers, created_at, reason)
             SELECT id, topic, message_key, value, headers, created_at, $2 FROM gateway_outbox WHERE id = $1`,
            [row.id, outcome.reason],
          );
          settled.push(row.id);
          pass.deadLettered.push({ id: row.id, key: row.message_key, reason: outcome.reason });
        } else {
          pass.kept += 1;
        }
      }
      if (settled.length > 0)
        await client.query('DELETE FROM gateway_outbox WHERE id = ANY($1::bigint[])', [settled]);
      pass.relayed = settled.length - pass.deadLettered.length;
      return pass;
    });
  }

  async depth(): Promise<number> {
    const { rows } = await this.query<{ n: number }>('SELECT count(*)::int AS n FROM gateway_outbox');
    return rows[0]?.n ?? 0;
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  private async query<Row extends QueryResultRow>(text: string, values?: unknown[]) {
    this.assertReady();
    return this.pool.query<Row>(text, values);
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    this.assertReady();
    const client = await this.pool.connect();
    this.inTransaction.add(client);
    let broken: Error | undefined;
    const lost = this.onConnectionLost((error) => (broken = error));
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is not given back to the pool.
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.off('error', lost);
      this.releaseOnce(client, broken);
    }
  }

  /**
   * A listener for a checked-out client: node-postgres emits the loss of its connection between two queries
   * (PostgreSQL restarted, the backend terminated) as an 'error' event on it, which, unheard, ends the process.
   */
  private onConnectionLost(markBroken: (error: Error) => void = () => undefined): (error: Error) => void {
    return (error) => {
      markBroken(error);
      this.logger.warn({ err: toDatabaseError(error) }, 'outbox database connection lost');
    };
  }

  /** Gives a transaction's client back (or, `destroy`ed, closes it) unless shutdown already closed it. */
  private releaseOnce(client: PoolClient, destroy: Error | boolean | undefined): void {
    if (this.inTransaction.delete(client)) client.release(destroy);
  }

  private assertReady(): void {
    if (!this.ready) throw new Error('outbox database not connected');
  }

  /** Connects (and migrates, unless a job does), retrying with backoff until it works or shutdown begins. */
  private async connect(): Promise<void> {
    for (let delayMs = 500; this.closing === undefined; delayMs = Math.min(delayMs * 2, 10_000)) {
      try {
        const client = await this.pool.connect();
        let broken: Error | undefined;
        const lost = this.onConnectionLost((error) => (broken = error));
        client.on('error', lost);
        try {
          if (this.config.DATABASE_MIGRATE_ON_START) await migrateOutbox(client);
          else await client.query('SELECT 1');
        } finally {
          client.off('error', lost);
          client.release(broken);
        }
        this.connected = true;
        this.logger.info('outbox database connected');
        return;
      } catch (error) {
        // Shutdown closed the pool under the attempt: nothing left to do.
        if (this.closing !== undefined) return;
        // Not ready without its tables: try again (Kafka keeps serving meanwhile).
        this.logger.warn(
          { err: toDatabaseError(error), retryInMs: delayMs },
          'outbox database not connected or not migrated yet; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
  }
}

interface OutboxRow {
  /** bigint, as node-postgres returns it: a string. */
  id: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
}
