import {
  Catch,
  UseFilters,
  applyDecorators,
  type ArgumentsHost,
  type INestApplication,
  type RpcExceptionFilter,
} from '@nestjs/common';
import { BaseRpcContext, EventPattern, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import type { ConsumedRecord } from '../consumer/consumed-record';
import {
  ConsumerRunner,
  type BatchContext,
  type ConsumerRunnerOptions,
  type ConsumerStatus,
} from '../consumer/consumer-runner';
import { traceRecords } from '../tracing/kafka-spans';
import { KafkaConsumerHealth, KafkaConsumerStallHealth } from './messaging.module';

/** What an `@EventPattern(topic)` handler gets with `@Ctx()`: heartbeat for long work. */
export class KafkaBatchContext extends BaseRpcContext<[BatchContext]> {
  heartbeat(): Promise<void> {
    return this.getArgByIndex(0).heartbeat();
  }
}

export type KafkaBatchTransportOptions = Omit<ConsumerRunnerOptions, 'topics' | 'handleBatch'>;

/**
 * A Nest microservice transport on top of ConsumerRunner. Each `@EventPattern(topic)` handler receives the
 * records of one partition batch (`@Payload() records: ConsumedRecord[]`); the offsets are committed when
 * it resolves; when it throws, the runner retries or isolates and dead-letters records (see ConsumerRunner).
 * Each call has a process span per record (`withRecordContext` parents what a handler sends on it).
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private runner: ConsumerRunner | undefined;

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.runner = new ConsumerRunner({
      ...this.options,
      topics: [...this.messageHandlers.keys()],
      handleBatch: (records, context) =>
        traceRecords(records, this.options.groupId, () => this.dispatch(records, context)),
    });
    this.runner.start().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    await this.runner?.stop();
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }

  get consumerStatus(): ConsumerStatus | undefined {
    return this.runner?.status;
  }

  private async dispatch(records: ConsumedRecord[], context: BatchContext): Promise<void> {
    const topic = (records[0] as ConsumedRecord).topic; // a batch holds records of one partition of one topic
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no @EventPattern handler for topic ${topic}`);
    const result = this.transformToObservable(await handler(records, new KafkaBatchContext([context])));
    await lastValueFrom(result as Observable<unknown>, { defaultValue: undefined });
  }
}

/**
 * Nest's default RPC exception filter replaces unknown errors with a generic one; the consumer runner
 * needs the original to classify it (PermanentRecordError, an outage, or a failure of the record).
 */
@Catch()
export class RethrowRpcExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Marks a controller method as the handler of a topic's record batches:
 * `@ConsumeTopic(TOPICS.leadReceived) handle(@Payload() records: ConsumedRecord[], @Ctx() ctx: KafkaBatchContext)`.
 */
export const ConsumeTopic = (topic: string) =>
  applyDecorators(EventPattern(topic), UseFilters(new RethrowRpcExceptionFilter()));

/**
 * Connects a Kafka consumer group to a Nest app; start it with `app.startAllMicroservices()`.
 * When the app imports MessagingModule, the group's state feeds KafkaConsumerHealth (liveness) and
 * KafkaConsumerStallHealth (readiness).
 */
export function connectKafkaConsumer(
  app: INestApplication,
  options: KafkaBatchTransportOptions,
): KafkaBatchTransport {
  const transport = new KafkaBatchTransport(options);
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: false });
  healthOf(app, KafkaConsumerHealth)?.track(transport);
  healthOf(app, KafkaConsumerStallHealth)?.track(transport);
  return transport;
}

function healthOf<Health>(app: INestApplication, type: new () => Health): Health | undefined {
  try {
    return app.get(type, { strict: false });
  } catch {
    return undefined; // the app does not use MessagingModule
  }
}
