import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Prometheus metrics of a Kafka consumer group. The returned object has the shape of messaging's
 * ConsumerObserver, so it can be handed to a ConsumerRunner.
 */
export function consumerMetrics(registry: Registry, group: string) {
  const records = new Counter({
    name: 'lead_consumer_records_total',
    help: 'Records processed and committed, by topic',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'lead_consumer_batch_size',
    help: 'Records per handler call',
    labelNames: ['group', 'topic'],
    buckets: [1, 5, 10, 25, 50, 100, 250, 500],
    registers: [registry],
  });
  const batchDuration = new Histogram({
    name: 'lead_consumer_batch_duration_seconds',
    help: 'Time to process and commit one handler call',
    labelNames: ['group', 'topic'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'lead_consumer_handler_failures_total',
    help: 'Handler failures (each is retried; offsets stay uncommitted)',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'lead_consumer_dead_letters_total',
    help: 'Records moved to the dead-letter topic',
    labelNames: ['group', 'topic', 'kind'],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'lead_consumer_lag',
    help: 'Records behind the end of the partition after the last batch',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
  });

  return {
    batchProcessed(topic: string, count: number, durationMs: number) {
      records.inc({ group, topic }, count);
      batchSize.observe({ group, topic }, count);
      batchDuration.observe({ group, topic }, durationMs / 1000);
    },
    handlerFailed(topic: string) {
      failures.inc({ group, topic });
    },
    deadLettered(topic: string, kind: string) {
      deadLetters.inc({ group, topic, kind });
    },
    lagObserved(topic: string, partition: number, value: number) {
      lag.set({ group, topic, partition: String(partition) }, value);
    },
  };
}
