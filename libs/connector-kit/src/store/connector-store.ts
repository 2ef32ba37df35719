import { migrateWhenReachable, toDatabaseError } from '@lead-delivery/database';
import type { OnApplicationShutdown } from '@nestjs/common';
import { Pool, type PoolConfig } from 'pg';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  type ConnectorStoreConfig,
} from './connector-store.config';
import { CreateDeliveryLedger1766900000000 } from './migrations/1766900000000-create-delivery-ledger.migration';
import { CreateLedgerEpoch1766900000001 } from './migrations/1766900000001-create-ledger-epoch.migration';
import { CreateCallBudgets1767000000000 } from './migrations/1767000000000-create-call-budgets.migration';

interface StoreLogger {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/** Own history table: the gateway and persistence keep theirs in the same database. */
export const CONNECTOR_MIGRATIONS_TABLE = 'connector_kit_migrations';

/** The client waits this much longer than the server's statement_timeout before it gives up on a connection. */
const READ_TIMEOUT_MARGIN_MS = 1_000;

/** How the store connects; the timeouts default to those of ConnectorStoreConfig. */
export type ConnectorStoreSettings = Pick<
  ConnectorStoreConfig,
  'CONNECTOR_DATABASE_URL' | 'CONNECTOR_DATABASE_POOL_SIZE'
> &
  Partial<ConnectorStoreConfig>;

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
  config: ConnectorStoreSettings,
  { logger, applicationName }: { logger: StoreLogger; applicationName: string },
): Promise<ConnectorStore> {
  await migrateWhenReachable({
    connection: {
      connectionString: config.CONNECTOR_DATABASE_URL,
      application_name: applicationName,
      connectionTimeoutMillis: config.CONNECTOR_DATABASE_CONNECT_TIMEOUT_MS ?? DEFAULT_CONNECT_TIMEOUT_MS,
    },
    migrations: [
      new CreateDeliveryLedger1766900000000(),
      new CreateLedgerEpoch1766900000001(),
      new CreateCallBudgets1767000000000(),
    ],
    historyTable: CONNECTOR_MIGRATIONS_TABLE,
    logger,
  });
  const pool = new Pool(storePoolOptions(config, applicationName));
  // An idle connection that dies (server restart) is replaced by the pool; without a listener it would crash the app.
  pool.on('error', (error) =>
    logger.error({ err: toDatabaseError(error) }, 'connector store connection lost'),
  );
  return new ConnectorStore(pool);
}

/**
 * Every wait of the pool is bounded, so that no delivery, budget or purge statement can hang: taking a
 * connection (a free one, or a new one) fails after the connect timeout with pg-pool's "timeout exceeded
 * when trying to connect"; a statement is cancelled by the server after the statement timeout (SQLSTATE
 * 57014), and the client gives up a moment later on a connection that no longer answers ("Query read
 * timeout", the connection is then discarded). libs/database classifies all three as infrastructure.
 */
export function storePoolOptions(config: ConnectorStoreSettings, applicationName: string): PoolConfig {
  const statementTimeoutMs = config.CONNECTOR_DATABASE_STATEMENT_TIMEOUT_MS ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  return {
    connectionString: config.CONNECTOR_DATABASE_URL,
    max: config.CONNECTOR_DATABASE_POOL_SIZE,
    application_name: applicationName,
    connectionTimeoutMillis: config.CONNECTOR_DATABASE_CONNECT_TIMEOUT_MS ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + READ_TIMEOUT_MARGIN_MS,
  };
}
