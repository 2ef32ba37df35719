import type { MigrationQueries, PgMigration } from '@lead-delivery/database';

export class CreateCallBudgets1767000000000 implements PgMigration {
  name = 'CreateCallBudgets1767000000000';

  async up(queries: MigrationQueries): Promise<void> {
    // RateLimiterPostgres's own table (see budget/call-limiter.ts), created here under the migrations' lock:
    // replicas and apps sharing a database that each let the library create it raced (42710 "type already
    // exists"), and the loser failed to start. IF NOT EXISTS: releases before this one had the library create it.
    await queries.query(`
      CREATE TABLE IF NOT EXISTS connector_call_budgets (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(queries: MigrationQueries): Promise<void> {
    await queries.query('DROP TABLE connector_call_budgets');
  }
}
