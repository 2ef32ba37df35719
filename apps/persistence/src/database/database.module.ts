import type { DatabaseConfig } from '@lead-delivery/config';
import { Global, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createPersistenceDataSource } from './persistence-data-source';
import { PostgresHealthCheck } from './postgres.health';
import { initializeWhenReachable, runMigrationsExclusively } from '@lead-delivery/database/typeorm';

export interface DatabaseModuleOptions {
  database: DatabaseConfig;
  migrateOnStart: boolean;
  statementTimeoutMs: number;
  logger: Logger;
}

/** Closes the pool last: after the consumer and the read API have finished their in-flight work. */
@Injectable()
class DataSourceLifecycle implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** The TypeORM DataSource (connected, migrated when configured) and the PostgreSQL readiness check. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DataSource, useFactory: () => connectDataSource(options) },
        DataSourceLifecycle,
        PostgresHealthCheck,
      ],
      exports: [DataSource, PostgresHealthCheck],
    };
  }
}

/** Waits for PostgreSQL (a service may start before its database), then runs the migrations if asked. */
async function connectDataSource({
  database,
  migrateOnStart,
  statementTimeoutMs,
  logger,
}: DatabaseModuleOptions): Promise<DataSource> {
  const dataSource = createPersistenceDataSource(database, {
    statementTimeoutMs,
    applicationName: 'persistence',
    onPoolError: (error) =>
      logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool replaces it'),
  });
  await initializeWhenReachable(dataSource, { logger });
  if (migrateOnStart) {
    const applied = await runMigrationsExclusively(dataSource);
    logger.info({ migrations: applied.map((migration) => migration.name) }, 'database migrations applied');
  }
  return dataSource;
}
