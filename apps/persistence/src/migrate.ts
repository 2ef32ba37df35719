import { DatabaseConfig, loadConfig } from '@lead-delivery/config';
import { LoggingConfig, createLogger, loadConfigOrExit } from '@lead-delivery/observability';
import { createPersistenceDataSource } from './database/persistence-data-source';
import { runMigrationsExclusively } from '@lead-delivery/database/typeorm';

// `npm run persistence:migrate [run|show|revert]` (or `node dist/apps/persistence/migrate.js`, e.g. as a
// job per release): the schema changes only through these migrations, never through `synchronize`.
const COMMANDS = ['run', 'show', 'revert'] as const;

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'run';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    process.stderr.write(`usage: persistence:migrate [${COMMANDS.join('|')}]\n`);
    process.exit(64);
  }
  const config = loadConfigOrExit(() => loadConfig({ database: DatabaseConfig, logging: LoggingConfig }));
  const logger = createLogger({
    service: 'persistence-migrate',
    level: config.logging.LOG_LEVEL,
    format: config.logging.LOG_FORMAT,
  });
  const dataSource = createPersistenceDataSource(config.database, {
    statementTimeoutMs: 0,
    applicationName: 'persistence-migrate',
  });
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await runMigrationsExclusively(dataSource);
      logger.info({ migrations: applied.map((migration) => migration.name) }, 'migrations applied');
    } else if (command === 'show') {
      const pending = await dataSource.showMigrations();
      logger.info({ pending }, pending ? 'migrations are pending' : 'the schema is up to date');
    } else {
      await dataSource.undoLastMigration({ transaction: 'all' });
      logger.info('last migration reverted');
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${(error as Error).message}\n`);
  process.exit(1);
});
