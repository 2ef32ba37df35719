import { METRICS_REGISTRY } from '@lead-delivery/observability';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Why a lead ended where it did; `accepted_*` are the 200s. */
export type IntakeOutcome =
  | 'accepted_kafka'
  | 'accepted_outbox'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'malformed_json'
  | 'bad_signature'
  | 'invalid_lead'
  | 'unavailable';

const KNOWN_FIELD = /^\/[a-z_]+(\/[a-z_]+)?$/;

@Injectable()
export class GatewayMetrics {
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  readonly httpRequestDuration: Histogram<'route' | 'method' | 'status'>;
  private readonly leads: Counter<'kind' | 'outcome'>;
  private readonly warnings: Counter<'field' | 'action'>;
  readonly produceDuration: Histogram<'result'>;
  readonly outboxDepth: Gauge;
  readonly outboxRelayed: Counter;
  readonly outboxDeadLettered: Counter<'reason'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request to its response, by route, method and status',
      labelNames: ['route', 'method', 'status'],
      // A lead is answered once Kafka acknowledged it (acks=all) or the outbox holds it; seconds mean trouble.
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.leads = new Counter({
      name: 'lead_intake_total',
      help: 'Leads by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.warnings = new Counter({
      name: 'lead_validation_warnings_total',
      help: 'Lenient-mode warnings by field',
      labelNames: ['field', 'action'],
      registers,
    });
    this.produceDuration = new Histogram({
      name: 'lead_produce_duration_seconds',
      help: 'Time until Kafka acknowledged a lead (acks=all), by result',
      labelNames: ['result'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.outboxDepth = new Gauge({
      name: 'lead_outbox_depth',
      help: 'Leads waiting in the PostgreSQL outbox',
      registers,
    });
    this.outboxRelayed = new Counter({
      name: 'lead_outbox_relayed_total',
      help: 'Leads relayed from the outbox to Kafka',
      registers,
    });
    this.outboxDeadLettered = new Counter({
      name: 'lead_outbox_dead_lettered_total',
      help: 'Outbox rows Kafka refused for good, moved to the dead outbox, by Kafka error',
      labelNames: ['reason'],
      registers,
    });
  }

  lead(outcome: IntakeOutcome, kind = 'unknown'): void {
    this.leads.inc({ kind, outcome });
  }

  warning(pointer: string, action: string): void {
    // Unknown fields are named by the sender; a label per name would let senders grow the series without bound.
    this.warnings.inc({
      field: action === 'ignored' || !KNOWN_FIELD.test(pointer) ? '(unknown field)' : pointer,
      action,
    });
  }
}
