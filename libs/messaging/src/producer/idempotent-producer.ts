import {
  KafkaJSError,
  type Kafka,
  type Producer,
  type ProducerBatch,
  type RecordMetadata,
  type RetryOptions,
} from 'kafkajs';
import { silentLogger, type MessagingLogger } from '../messaging-logger';
import { KeyHashPartitioner } from './key-hash-partitioner';
import { useSinglePassProduceEncoding } from './single-pass-produce-encoding';

export interface IdempotentProducerOptions {
  /** Bounded retries for producers that have a fallback (the gateway's outbox); kafkajs' default otherwise. */
  retry?: RetryOptions;
  logger?: MessagingLogger;
}

const FIRST_RECONNECT_DELAY_MS = 500;
const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * The idempotent producer every app publishes with: acks=all, one request in flight (what idempotence needs
 * to keep ordering), replaced by a new one after any failed send.
 *
 * Why replaced: kafkajs keeps one sequence number per partition and, when a produce request fails, rolls back
 * the sequences of every partition in it, also of those the broker appended (another partition's refusal in
 * the same request, or an answer lost when the broker died). The next record to such a partition then
 * repeats a sequence the broker already has: it is acknowledged as a duplicate without being stored (lost,
 * while the sender is told it is stored), or refused with OUT_OF_ORDER_SEQUENCE_NUMBER on every later send
 * (kafkajs#598). A new producer gets a new producer id, whose sequences all start at zero.
 */
export class IdempotentProducer {
  private producer: Producer;
  private connected = false;
  private closed = false;
  private connecting: Promise<void> | undefined;
  private readonly logger: MessagingLogger;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: IdempotentProducerOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    useSinglePassProduceEncoding(); // kafkajs copied each record through a zero-filled buffer per level
    this.producer = this.create();
  }

  /** True once the producer has its producer id, until a failed send replaces it or it is disconnected. */
  get isConnected(): boolean {
    return this.connected;
  }

  /** One attempt (with kafkajs' retries); rejects when the broker cannot be reached or refuses the client. */
  async connect(): Promise<void> {
    const producer = this.producer;
    await producer.connect();
    if (producer === this.producer && !this.closed) this.connected = true;
  }

  /** Connects in the background, retrying with backoff, until connected or disconnected. */
  keepConnecting(): Promise<void> {
    this.connecting ??= this.connectUntilDone().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Waits for a connection first if the producer is being replaced; rejects once disconnected. */
  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (!this.connected) await this.keepConnecting();
    const producer = this.producer;
    try {
      return await producer.sendBatch(batch);
    } catch (error) {
      if (producer === this.producer) this.replace(error);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    this.connected = false;
    await this.producer.disconnect();
  }

  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The murmur2 partitioner of the Java client (kafkajs' default since 2.0), without its Long arithmetic.
      createPartitioner: KeyHashPartitioner,
      ...(this.options.retry ? { retry: this.options.retry } : {}),
    });
  }

  private replace(cause: unknown): void {
    const failed = this.producer;
    this.producer = this.create();
    this.connected = false;
    this.logger.warn(
      { err: cause },
      'Kafka send failed; the producer is replaced so that no sequence number is reused',
    );
    void failed.disconnect().catch(() => undefined);
    if (!this.closed) void this.keepConnecting().catch(() => undefined);
  }

  private async connectUntilDone(): Promise<void> {
    for (let delayMs = FIRST_RECONNECT_DELAY_MS; ; delayMs = Math.min(delayMs * 2, MAX_RECONNECT_DELAY_MS)) {
      if (this.closed) throw new KafkaJSError('the Kafka producer is disconnected', { retriable: false });
      try {
        await this.connect();
        if (this.connected) return;
        // Replaced or disconnected while connecting: the next turn connects the new producer or stops.
      } catch (error) {
        this.logger.warn({ err: error, retryInMs: delayMs }, 'Kafka producer cannot connect yet');
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
  }
}
