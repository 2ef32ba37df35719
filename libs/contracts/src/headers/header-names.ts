/**
 * Kafka header names. Events use CloudEvents 1.0 in binary mode (the Kafka protocol binding: `ce_`
 * attributes, `content-type`), plus the platform's own `x-` headers.
 */
export const HEADERS = {
  ceSpecVersion: 'ce_specversion',
  ceId: 'ce_id',
  ceType: 'ce_type',
  ceSource: 'ce_source',
  ceTime: 'ce_time',
  ceSubject: 'ce_subject',
  contentType: 'content-type',
  accountId: 'x-account-id',
  leadKind: 'x-lead-kind',
  traceparent: 'traceparent',
  // Set by the consumer runner on retry and dead-letter copies of a record.
  attempt: 'x-attempt',
  // On a connector's retry copy: calls the CRM refused to process (429, 503), counted apart from x-attempt.
  refusedCalls: 'x-refused-calls',
  notBefore: 'x-not-before',
  errorKind: 'x-error-kind',
  errorReason: 'x-error-reason',
  errorAt: 'x-error-at',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  consumerGroup: 'x-consumer-group',
  // On a dead letter whose value the broker refused for its size: the refusal (`MESSAGE_TOO_LARGE`); the
  // value is then a stub and the record is only in its original topic (x-original-*).
  valueOmitted: 'x-value-omitted',
  // Set by tools/dlq on a record it replays: `<dlq topic>/<partition>/<offset>`.
  replayedFrom: 'x-replayed-from',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';
