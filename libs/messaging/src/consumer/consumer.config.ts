import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsInt, Max, Min } from 'class-validator';
import { KafkaConfig } from '../kafka.config';

/** When a partition that does not move counts as stuck: every consumer app (connectors included). */
export class ConsumerStallConfig {
  @EnvVar({
    description:
      'How long a partition may wait on the same records (committed offset unchanged while records wait) ' +
      'before readiness reports the consumer stalled, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  CONSUMER_STALL_TIMEOUT_MS = 300_000;
}

/** How often a record that fails by itself is tried before it is dead-lettered: the consumer-runner apps. */
export class RecordFailureConfig {
  @EnvVar({
    description:
      'Attempts at a record whose handling fails for a reason of its own (not an outage) before it goes ' +
      "to the group's dead-letter topic with the reason.",
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(100)
  CONSUMER_RECORD_MAX_ATTEMPTS = 3;
}

/** The config fragments every consumer-runner app loads: its brokers, record failures, stall detection. */
export const CONSUMER_RUNNER_CONFIG = {
  kafka: KafkaConfig,
  recordFailure: RecordFailureConfig,
  consumerStall: ConsumerStallConfig,
};
