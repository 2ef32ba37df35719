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

/**
 * An empty queue asked once to schedule a check, then its timers run `rounds` times (fake timers: a count of
 * real checks in real time fails on a loaded machine): the checks made, their delays, and the timers left.
 */
function idleRounds(rounds: number) {
  jest.useFakeTimers();
  const queue = aQueue();
  const checked = jest.spyOn(queue, 'checkPendingRequests');
  const timer = jest.spyOn(global, 'setTimeout');
  try {
    queue.scheduleCheckPendingRequests();
    for (let round = 0; round < rounds; round += 1) jest.runOnlyPendingTimers();
    return {
      checks: checked.mock.calls.length,
      delays: timer.mock.calls.map(([, ms]) => ms as number),
      timersLeft: jest.getTimerCount(),
    };
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

  it("kafkajs' own schedule keeps checking an empty queue, each time after a negative delay (1 ms in Node)", () => {
    const { checks, delays, timersLeft } = idleRounds(20);
    expect(checks).toBe(20);
    expect(timersLeft).toBe(1);
    expect(delays).toHaveLength(21);
    expect(delays.every((ms) => ms < 0)).toBe(true);
  });

  it('checks an empty queue no more once installed', () => {
    stopIdleRequestQueuePolling();
    expect(idleRounds(20)).toEqual({ checks: 0, delays: [], timersLeft: 0 });
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
