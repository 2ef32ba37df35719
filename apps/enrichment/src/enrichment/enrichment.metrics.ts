import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of what enrichment decides and how long it takes. */
export class EnrichmentMetrics {
  private readonly scores: Histogram<'kind'>;
  private readonly tiers: Counter<'tier' | 'kind'>;
  private readonly routes: Counter<'destination'>;
  private readonly processing: Histogram;
  private readonly sinceReceipt: Histogram;

  constructor(registry: Registry) {
    this.scores = new Histogram({
      name: 'lead_enrichment_score',
      help: 'Scores given, by lead kind',
      labelNames: ['kind'],
      buckets: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
      registers: [registry],
    });
    this.tiers = new Counter({
      name: 'lead_enrichment_tier_total',
      help: 'Leads enriched, by tier and lead kind',
      labelNames: ['tier', 'kind'],
      registers: [registry],
    });
    this.routes = new Counter({
      name: 'lead_enrichment_routes_total',
      help: 'Destinations leads were routed to (`none`: a lead routed nowhere)',
      labelNames: ['destination'],
      registers: [registry],
    });
    this.processing = new Histogram({
      name: 'lead_enrichment_processing_seconds',
      help: 'Time to decode, validate, normalise, score and route one lead',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    });
    this.sinceReceipt = new Histogram({
      name: 'lead_enrichment_since_receipt_seconds',
      help: 'From the gateway receiving a lead to its enriched event being acknowledged by Kafka',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  /** Called once the enriched event is acknowledged, so a retried batch is not counted twice. */
  published(value: LeadEnrichedV1, processingSeconds: number, receivedAt: Date, ackedAt: Date): void {
    this.scores.observe({ kind: value.kind }, value.enrichment.score);
    this.tiers.inc({ tier: value.enrichment.tier, kind: value.kind });
    const destinations = value.routing.destinations.length > 0 ? value.routing.destinations : ['none'];
    destinations.forEach((destination) => this.routes.inc({ destination }));
    this.processing.observe(processingSeconds);
    this.sinceReceipt.observe(Math.max(0, ackedAt.getTime() - receivedAt.getTime()) / 1000);
  }
}
