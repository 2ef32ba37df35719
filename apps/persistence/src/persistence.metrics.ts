import { METRICS_REGISTRY } from '@lead-delivery/observability';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const ERASURE_PLACE_LABELS = ['postgres', 'outbox', 'crm'] as const;

/**
 * The service's own metrics. Records consumed, batch sizes and consumer lag come from the consumer
 * runner (`lead_consumer_*`); these add what only the service knows.
 */
@Injectable()
export class PersistenceMetrics {
  private readonly events: Counter<'topic' | 'result'>;
  private readonly writeSeconds: Histogram<'topic'>;
  private readonly purged: Counter;
  private readonly erasures: Counter;
  private readonly contactsExpired: Counter;
  private readonly erasurePending: Gauge<'place'>;
  private readonly erasureOldestPending: Gauge<'place'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.events = new Counter({
      name: 'persistence_events_total',
      help: 'Events written to PostgreSQL: `stored` the first time, `duplicate` when replayed',
      labelNames: ['topic', 'result'],
      registers: [registry],
    });
    this.writeSeconds = new Histogram({
      name: 'persistence_upsert_duration_seconds',
      help: 'Time to write one batch (its multi-row upserts, in one transaction)',
      labelNames: ['topic'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.purged = new Counter({
      name: 'persistence_retention_purged_leads_total',
      help: 'Leads whose raw payload and message the retention job purged',
      registers: [registry],
    });
    this.erasures = new Counter({
      name: 'persistence_erased_leads_total',
      help: 'Leads whose personal data an erasure request removed',
      registers: [registry],
    });
    this.contactsExpired = new Counter({
      name: 'persistence_contact_retention_erased_leads_total',
      help: 'Leads whose personal data the contact retention removed',
      registers: [registry],
    });
    this.erasurePending = new Gauge({
      name: 'lead_erasure_pending',
      help: 'Places of erasure requests not done yet, by place (postgres, outbox, crm)',
      labelNames: ['place'],
      registers: [registry],
    });
    this.erasureOldestPending = new Gauge({
      name: 'lead_erasure_oldest_pending_seconds',
      help: 'Age of the oldest place of an erasure request not done yet, by place (postgres, outbox, crm)',
      labelNames: ['place'],
      registers: [registry],
    });
  }

  eventsWritten(topic: string, stored: number, duplicates: number): void {
    this.events.inc({ topic, result: 'stored' }, stored);
    this.events.inc({ topic, result: 'duplicate' }, duplicates);
  }

  writeDuration(topic: string, seconds: number): void {
    this.writeSeconds.observe({ topic }, seconds);
  }

  leadsPurged(count: number): void {
    this.purged.inc(count);
  }

  leadsErased(count: number): void {
    this.erasures.inc(count);
  }

  contactsErasedByRetention(count: number): void {
    this.contactsExpired.inc(count);
  }

  erasuresPending(byPlace: ReadonlyArray<{ place: string; pending: number; oldest_seconds: number }>): void {
    for (const place of ERASURE_PLACE_LABELS) {
      const row = byPlace.find((entry) => entry.place === place);
      this.erasurePending.set({ place }, row?.pending ?? 0);
      this.erasureOldestPending.set({ place }, row?.oldest_seconds ?? 0);
    }
  }
}
