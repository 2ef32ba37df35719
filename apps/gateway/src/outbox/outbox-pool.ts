import { Pool } from 'pg';

/** The outbox's connections. Fail fast: a lead waits for the outbox only a short, configured time. */
export function createOutboxPool(url: string, size: number): Pool {
  return new Pool({
    connectionString: url,
    max: size,
    connectionTimeoutMillis: 2_000,
    query_timeout: 5_000,
  });
}
