// kafkajs 2.2.4 (its last release) enqueues a request when its connection has maxInFlightRequests in flight
// (or the broker throttles it) and schedules a check of the queue. That check reschedules itself every time,
// also when nothing is pending: from the first request ever enqueued until the connection closes, it ran about
// 800 times a second (4,083 calls and 140 ms of CPU over 5 s of an idle idempotent producer). Each of those
// schedules was `throttledUntil - Date.now()` ms ahead, about minus the epoch, so Node 24 also printed a
// TimeoutNegativeWarning to stderr, a line outside the apps' JSON logs (tulios/kafkajs#1751, fixes unmerged).
// This schedule checks only a queue that holds requests: at the throttle's end if throttled, else after
// kafkajs' interval. A request pushed later schedules again, and one completing checks the queue itself.

// @ts-expect-error kafkajs ships no types for its network internals
import RequestQueue from 'kafkajs/src/network/requestQueue';

interface KafkajsRequestQueue {
  throttledUntil: number;
  pending: unknown[];
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' CHECK_PENDING_REQUESTS_INTERVAL: how soon requests held back by maxInFlightRequests are checked. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export function scheduleCheckPendingRequests(this: KafkajsRequestQueue): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

/** kafkajs' request queue class (internal: not exported by the package, hence the path). */
export const KafkajsRequestQueueClass = RequestQueue as {
  prototype: KafkajsRequestQueue;
  new (options: object): KafkajsRequestQueue & { destroy(): void };
};

/** Makes every kafkajs request queue in this process check only when requests wait; idempotent. */
export function stopIdleRequestQueuePolling(): void {
  KafkajsRequestQueueClass.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
}
