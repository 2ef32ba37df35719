import type { DataSource } from 'typeorm';
import { whenReachable, type WhenReachableOptions } from './when-reachable';

/**
 * Initialises a DataSource, retrying with backoff while PostgreSQL is unreachable (a service may start
 * before its database). Gives up only when `stopped()` turns true (the app is shutting down).
 */
export async function initializeWhenReachable(
  dataSource: DataSource,
  options: WhenReachableOptions,
): Promise<boolean> {
  return (await whenReachable(() => dataSource.initialize(), options)) !== undefined;
}
