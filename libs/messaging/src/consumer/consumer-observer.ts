import type { FailureClass } from './failure-classifier';
import type { PartitionStall } from './partition-progress';

/** Hooks for metrics; libs/observability implements them with prom-client. */
export interface ConsumerObserver {
  batchProcessed(topic: string, records: number, durationMs: number): void;
  handlerFailed(topic: string, failureClass: FailureClass): void;
  deadLettered(topic: string, kind: string): void;
  /** A dead letter went to `dlqTopic` without its value: the broker refused it for its size. */
  deadLetterValueOmitted(dlqTopic: string): void;
  lagObserved(topic: string, partition: number, lag: number): void;
  /** Called once with the consumer's partition progress, read when metrics are collected. */
  partitionsWatched(progress: { stalls(): PartitionStall[] }): void;
}

export const noopObserver: ConsumerObserver = {
  batchProcessed: () => undefined,
  handlerFailed: () => undefined,
  deadLettered: () => undefined,
  deadLetterValueOmitted: () => undefined,
  lagObserved: () => undefined,
  partitionsWatched: () => undefined,
};
