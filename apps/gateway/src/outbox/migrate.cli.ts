// `npm run gateway:migrate` (or `node dist/apps/gateway/migrate.js` in the image): applies the outbox
// migrations to DATABASE_URL, for deployments that run migrations as a job instead of at startup.
import { runMigrationsExclusively, toDatabaseError } from '@lead-delivery/database';
import { createOutboxDataSource } from './outbox-data-source';

async function migrate(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  const dataSource = await createOutboxDataSource(url, 1).initialize();
  const applied = await runMigrationsExclusively(dataSource);
  console.log(
    applied.length ? `applied: ${applied.map((migration) => migration.name).join(', ')}` : 'up to date',
  );
  await dataSource.destroy();
}

migrate().catch((error: unknown) => {
  console.error(`migration failed: ${toDatabaseError(error).message}`);
  process.exit(1);
});
