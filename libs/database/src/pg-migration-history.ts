import { createHash } from 'node:crypto';
import { escapeIdentifier, type ClientBase } from 'pg';
import type { NamedPgMigration } from './pending-pg-migrations';

/**
 * The history table of migrations run, in TypeORM's format (its MigrationExecutor on PostgreSQL): a table
 * either runner created is read and extended by the other.
 */
export class PgMigrationHistory {
  private readonly table: string;

  constructor(
    private readonly client: ClientBase,
    private readonly tableName: string,
  ) {
    this.table = escapeIdentifier(tableName);
  }

  async createIfMissing(): Promise<void> {
    const { rows } = await this.client.query(
      'SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1',
      [this.tableName],
    );
    if (rows.length > 0) return;
    await this.client.query(
      `CREATE TABLE ${this.table} ("id" SERIAL NOT NULL, "timestamp" bigint NOT NULL, "name" character varying NOT NULL, ` +
        `CONSTRAINT ${escapeIdentifier(typeormPrimaryKeyName(this.tableName))} PRIMARY KEY ("id"))`,
    );
  }

  async executedNames(): Promise<Set<string>> {
    const { rows } = await this.client.query<{ name: string }>(`SELECT "name" FROM ${this.table}`);
    return new Set(rows.map(({ name }) => name));
  }

  async record({ timestamp, name }: NamedPgMigration): Promise<void> {
    await this.client.query(`INSERT INTO ${this.table}("timestamp", "name") VALUES ($1, $2)`, [
      timestamp,
      name,
    ]);
  }
}

/** TypeORM's DefaultNamingStrategy.primaryKeyName for the `id` column. */
export function typeormPrimaryKeyName(tableName: string): string {
  return 'PK_' + createHash('sha1').update(`${tableName}_id`).digest('hex').slice(0, 27);
}
