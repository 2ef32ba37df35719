import type { PartitionStall } from './partition-progress';

/** What a readiness check reports when partitions have waited on the same records for too long. */
export class StalledPartitionsError extends Error {
  constructor(
    readonly stalled: PartitionStall[],
    readonly stallTimeoutMs: number,
  ) {
    const partitions = stalled
      .map(
        ({ topic, partition, stalledSeconds, lag }) =>
          `${topic}/${partition} for ${Math.round(stalledSeconds)} s with ${lag} records waiting`,
      )
      .join(', ');
    super(`committed offsets stood still longer than ${stallTimeoutMs} ms: ${partitions}`);
    this.name = 'StalledPartitionsError';
  }
}
