import { createKafkaClient } from './kafka-client';
import { KafkaConfig } from './kafka.config';
import { silentLogger } from './messaging-logger';
import {
  KafkajsRequestQueueClass,
  scheduleCheckPendingRequests,
  stopIdleRequestQueuePolling,
} from './request-queue-schedule';

const kafkajsOwn = KafkajsRequestQueueClass.prototype.scheduleCheckPendingRequests;

const aQueue = () =>
  new KafkajsRequestQueueClass({
    maxInFlightRequests: 1,
    requestTimeout: 1_000,
    clientId: 'request-queue-schedule-spec',
    broker: '127.0.0.1:9092',
    logger: silentLogger,
  });

/** How often a queue with nothing pending checks itself over 50 ms, once asked to schedule a check. */
async function idleChecksOf(): Promise<number> {
  const queue = aQueue();
  const checked = jest.spyOn(queue, 'checkPendingRequests');
  try {
    queue.scheduleCheckPendingRequests();
    await new Promise((resolve) => setTimeout(resolve, 50));
    return checked.mock.calls.length;
  } finally {
    queue.destroy();
  }
}

describe('kafkajs request queue schedule', () => {
  afterEach(() => {
    KafkajsRequestQueueClass.prototype.scheduleCheckPendingRequests = kafkajsOwn;
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it("kafkajs' own schedule keeps checking an empty queue about every millisecond", async () => {
    expect(await idleChecksOf()).toBeGreaterThan(10);
  });

  it('checks an empty queue no more once installed', async () => {
    stopIdleRequestQueuePolling();
    expect(await idleChecksOf()).toBe(0);
  });

  it.each([
    ['a request waits, nothing throttled', 1, -1, [10]],
    ['a request waits, throttled for 500 ms', 1, 500, [500]],
    ['nothing waits, throttled for 500 ms', 0, 500, []],
  ])('schedules one check when %s', (_case, pending, throttledForMs, delays) => {
    jest.useFakeTimers({ now: 1_000_000 });
    const queue = aQueue();
    queue.throttledUntil = throttledForMs > 0 ? Date.now() + throttledForMs : throttledForMs;
    queue.pending = Array.from({ length: pending }, () => ({}));
    const checked = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
    const timer = jest.spyOn(global, 'setTimeout');
    scheduleCheckPendingRequests.call(queue);
    scheduleCheckPendingRequests.call(queue);
    expect(timer.mock.calls.map(([, ms]) => ms)).toEqual(delays);
    jest.advanceTimersByTime(1_000);
    expect(checked).toHaveBeenCalledTimes(delays.length);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('is installed by createKafkaClient', () => {
    const config = Object.assign(new KafkaConfig(), { KAFKA_BROKERS: ['127.0.0.1:9092'] });
    createKafkaClient(config, 'spec', silentLogger);
    expect(KafkajsRequestQueueClass.prototype.scheduleCheckPendingRequests).toBe(
      scheduleCheckPendingRequests,
    );
  });
});
