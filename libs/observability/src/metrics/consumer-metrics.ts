import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Where a consumer reports how long each of its partitions has waited on the same records. */
export interface PartitionStallSource {
  stalls(): Array<{ topic: string; partition: number; stalledSeconds: number }>;
}

/**
 * `lead_consumer_partition_stalled_seconds{group,topic,partition}`: seconds since the partition's
 * committed offset last moved while records wait behind it, 0 when none wait. Read from the consumer at
 * scrape time, so it keeps growing while a handler is stuck. Every consumer app exposes it (the consumer
 * runner's apps through `consumerMetrics`, connectors through connector-kit); the stall alert reads it.
 */
export function partitionStallGauge(
  registry: Registry,
  group: string,
  source: () => PartitionStallSource | undefined,
): Gauge<'group' | 'topic' | 'partition'> {
  return new Gauge({
    name: 'lead_consumer_partition_stalled_seconds',
    help: "Seconds since the partition's committed offset last moved while records wait behind it (0 when none wait)",
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    collect() {
      this.reset(); // partitions revoked since the last scrape disappear
      for (const { topic, partition, stalledSeconds } of source()?.stalls() ?? []) {
        this.set({ group, topic, partition: String(partition) }, stalledSeconds);
      }
    },
  });
}

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
    help:
      'Handler failures by class: `infrastructure` (retried in place until it recovers) or `record` ' +
      '(retried a few times, then dead-lettered)',
    labelNames: ['group', 'topic', 'class'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'lead_consumer_dead_letters_total',
    help: 'Records moved to the dead-letter topic',
    labelNames: ['group', 'topic', 'kind'],
    registers: [registry],
  });
  const valuesOmitted = new Counter({
    name: 'lead_consumer_dead_letter_values_omitted_total',
    help: 'Dead letters sent without their value because the broker refused them for their size',
    labelNames: ['group', 'topic'],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'lead_consumer_lag',
    help: 'Records behind the end of the partition after the last batch',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
  });
  let progress: PartitionStallSource | undefined;
  partitionStallGauge(registry, group, () => progress);

  return {
    batchProcessed(topic: string, count: number, durationMs: number) {
      records.inc({ group, topic }, count);
      batchSize.observe({ group, topic }, count);
      batchDuration.observe({ group, topic }, durationMs / 1000);
    },
    handlerFailed(topic: string, failureClass: string) {
      failures.inc({ group, topic, class: failureClass });
    },
    deadLettered(topic: string, kind: string) {
      deadLetters.inc({ group, topic, kind });
    },
    deadLetterValueOmitted(topic: string) {
      valuesOmitted.inc({ group, topic });
    },
    lagObserved(topic: string, partition: number, value: number) {
      lag.set({ group, topic, partition: String(partition) }, value);
    },
    partitionsWatched(source: PartitionStallSource) {
      progress = source;
    },
  };
}
