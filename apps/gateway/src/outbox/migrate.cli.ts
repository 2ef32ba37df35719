// `npm run gateway:migrate` (or `node dist/apps/gateway/migrate.js` in the image): applies the outbox
// migrations to DATABASE_URL, for deployments that run migrations as a job instead of at startup.
import { Client } from 'pg';
import { migrateOutbox } from './migrate-outbox';
import { toDatabaseError } from '@lead-delivery/database';

async function migrate(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const applied = await migrateOutbox(client);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
  } finally {
    await client.end();
  }
}

migrate().catch((error: unknown) => {
  console.error(`migration failed: ${toDatabaseError(error).message}`);
  process.exit(1);
});
