/** Hooks for metrics; libs/observability implements them with prom-client. */
export interface ConsumerObserver {
  batchProcessed(topic: string, records: number, durationMs: number): void;
  handlerFailed(topic: string, error: unknown, attempt: number): void;
  deadLettered(topic: string, kind: string): void;
  lagObserved(topic: string, partition: number, lag: number): void;
}

export const noopObserver: ConsumerObserver = {
  batchProcessed: () => undefined,
  handlerFailed: () => undefined,
  deadLettered: () => undefined,
  lagObserved: () => undefined,
};
