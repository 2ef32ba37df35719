import type { createKafkaClient } from '@lead-delivery/messaging';

// kafkajs stays behind libs/messaging: the kit names its types through messaging's client, never imports it.
export type KafkaClient = ReturnType<typeof createKafkaClient>;
export type KafkaConsumer = ReturnType<KafkaClient['consumer']>;
