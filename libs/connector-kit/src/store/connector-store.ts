import { initializeWhenReachable, runMigrationsExclusively, toDatabaseError } from '@lead-delivery/database';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { ConnectorStoreConfig } from './connector-store.config';
import { CreateDeliveryLedger1766900000000 } from './migrations/1766900000000-create-delivery-ledger.migration';
import { CreateLedgerEpoch1766900000001 } from './migrations/1766900000001-create-ledger-epoch.migration';

interface StoreLogger {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/** Own history table: the gateway and persistence keep theirs in the same database. */
export const CONNECTOR_MIGRATIONS_TABLE = 'connector_kit_migrations';

/**
 * The connector's PostgreSQL pool, opened once per app (schema migrated) and closed at shutdown, after the
 * runtime has stopped delivering.
 */
export class ConnectorStore implements OnApplicationShutdown {
  constructor(readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Migrates the schema (waiting, with backoff, while PostgreSQL is unreachable; one replica at a time) and
 * opens the pool. A connector cannot deliver without its ledger, so the app starts only once this resolves.
 */
export async function openConnectorStore(
  config: ConnectorStoreConfig,
  { logger, applicationName }: { logger: StoreLogger; applicationName: string },
): Promise<ConnectorStore> {
  const migrations = new DataSource({
    type: 'postgres',
    url: config.CONNECTOR_DATABASE_URL,
    migrations: [CreateDeliveryLedger1766900000000, CreateLedgerEpoch1766900000001],
    migrationsTableName: CONNECTOR_MIGRATIONS_TABLE,
    synchronize: false,
    logging: false,
    poolSize: 1,
    applicationName,
    connectTimeoutMS: 5_000,
  });
  await initializeWhenReachable(migrations, { logger });
  try {
    await runMigrationsExclusively(migrations);
  } finally {
    await migrations.destroy();
  }
  const pool = new Pool({
    connectionString: config.CONNECTOR_DATABASE_URL,
    max: config.CONNECTOR_DATABASE_POOL_SIZE,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
  });
  // An idle connection that dies (server restart) is replaced by the pool; without a listener it would crash the app.
  pool.on('error', (error) =>
    logger.error({ err: toDatabaseError(error) }, 'connector store connection lost'),
  );
  return new ConnectorStore(pool);
}
