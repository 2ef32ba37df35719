import { Client } from 'pg';

export interface DeadOutboxRow {
  id: string;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  createdAt: Date;
  deadAt: Date;
  reason: string;
  replayedAt: Date | null;
  /** The outbox row the replay created. */
  replayedAs: string | null;
}

const COLUMNS = `id, topic, message_key AS key, value, headers, created_at AS "createdAt", dead_at AS "deadAt",
  reason, replayed_at AS "replayedAt", replayed_as AS "replayedAs"`;

/** The gateway's dead outbox (gateway_dead_outbox, created by the gateway's migrations) in PostgreSQL. */
export class DeadOutboxStore {
  private readonly client: Client;

  constructor(databaseUrl: string) {
    this.client = new Client({ connectionString: databaseUrl });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /** Newest last; `limit` keeps the newest rows. */
  async list(limit?: number): Promise<DeadOutboxRow[]> {
    const { rows } = await this.client.query<DeadOutboxRow>(
      `SELECT * FROM (SELECT ${COLUMNS} FROM gateway_dead_outbox ORDER BY id DESC LIMIT $1) newest ORDER BY id`,
      [limit ?? null],
    );
    return rows;
  }

  async find(id: string): Promise<DeadOutboxRow | undefined> {
    const { rows } = await this.client.query<DeadOutboxRow>(
      `SELECT ${COLUMNS} FROM gateway_dead_outbox WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  /**
   * Puts a row back in the outbox, as it was accepted (topic, key, value, headers), and records the replay
   * in the same transaction; a row already replayed (by this or a concurrent run) is left alone. Resolves
   * with the new outbox row's id, or undefined when the row had been replayed.
   */
  async replay(id: string): Promise<string | undefined> {
    await this.client.query('BEGIN');
    try {
      const claimed = await this.client.query(
        'UPDATE gateway_dead_outbox SET replayed_at = now() WHERE id = $1 AND replayed_at IS NULL RETURNING id',
        [id],
      );
      if (claimed.rowCount === 0) {
        await this.client.query('ROLLBACK');
        return undefined;
      }
      const { rows } = await this.client.query<{ id: string }>(
        `INSERT INTO gateway_outbox (topic, message_key, value, headers)
         SELECT topic, message_key, value, headers FROM gateway_dead_outbox WHERE id = $1 RETURNING id`,
        [id],
      );
      const outboxId = rows[0]?.id as string;
      await this.client.query('UPDATE gateway_dead_outbox SET replayed_as = $2 WHERE id = $1', [
        id,
        outboxId,
      ]);
      await this.client.query('COMMIT');
      return outboxId;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
