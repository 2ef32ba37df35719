import type { DeliveryOutcome } from '@lead-delivery/contracts';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type CircuitStateName = 'closed' | 'half-open' | 'open';
const CIRCUIT_VALUES: Record<CircuitStateName, number> = { closed: 0, 'half-open': 1, open: 2 };
/** The `account` label of the whole-CRM circuit (the outage gate). */
export const WHOLE_CRM = '*';

/** Prometheus metrics of a connector, all labelled with its destination. */
export class ConnectorMetrics {
  private readonly calls: Counter<'destination' | 'status'>;
  private readonly callDuration: Histogram<'destination'>;
  private readonly recordsPerCall: Histogram<'destination'>;
  private readonly retries: Counter<'destination' | 'mode'>;
  private readonly deadLetters: Counter<'destination' | 'kind'>;
  private readonly valuesOmitted: Counter<'destination'>;
  private readonly outcomes: Counter<'destination' | 'outcome'>;
  private readonly circuit: Gauge<'destination' | 'account'>;
  private readonly speedToLead: Histogram<'destination'>;
  private readonly paused: Gauge<'destination'>;
  private readonly inFlight: Gauge<'destination'>;
  private readonly dailyBudget: Gauge<'destination' | 'credential'>;
  private readonly dailyBudgetShare: Gauge<'destination' | 'level'>;
  private readonly budgetWait: Histogram<'destination' | 'credential'>;

  constructor(
    registry: Registry,
    private readonly destination: string,
  ) {
    const registers = [registry];
    this.calls = new Counter({
      name: 'lead_connector_crm_calls_total',
      help: 'CRM calls by status: ok, partial (some records failed), or the error kind of a failed call',
      labelNames: ['destination', 'status'],
      registers,
    });
    this.callDuration = new Histogram({
      name: 'lead_connector_crm_call_duration_seconds',
      help: 'Duration of CRM calls',
      labelNames: ['destination'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.recordsPerCall = new Histogram({
      name: 'lead_connector_crm_records_per_call',
      help: 'Records carried by one CRM call',
      labelNames: ['destination'],
      buckets: [1, 5, 10, 25, 50, 90, 100, 150, 180, 200],
      registers,
    });
    this.retries = new Counter({
      name: 'lead_connector_retries_total',
      help: 'Records retried: in memory (inline) or moved to the delayed retry topic (parked)',
      labelNames: ['destination', 'mode'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'lead_connector_dead_letters_total',
      help: 'Records written to the dead-letter topic, by kind',
      labelNames: ['destination', 'kind'],
      registers,
    });
    this.valuesOmitted = new Counter({
      name: 'lead_connector_dead_letter_values_omitted_total',
      help: 'Dead letters sent without their value because the broker refused them for their size',
      labelNames: ['destination'],
      registers,
    });
    this.outcomes = new Counter({
      name: 'lead_connector_outcomes_total',
      help: 'Delivery outcomes published (leads.delivery.v1)',
      labelNames: ['destination', 'outcome'],
      registers,
    });
    this.circuit = new Gauge({
      name: 'lead_connector_circuit_state',
      help: `Circuit breaker state per account (0 closed, 1 half-open, 2 open); account="${WHOLE_CRM}" is the whole CRM`,
      labelNames: ['destination', 'account'],
      registers,
    });
    this.speedToLead = new Histogram({
      name: 'lead_connector_speed_to_lead_seconds',
      help: "Time from the lead's timestamp to its delivery into the CRM",
      labelNames: ['destination'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
      registers,
    });
    this.paused = new Gauge({
      name: 'lead_connector_consumption_paused',
      help: '1 while consumption is paused because the whole CRM is throttling or down',
      labelNames: ['destination'],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'lead_connector_in_flight_records',
      help: 'Records consumed whose outcome is not yet durable',
      labelNames: ['destination'],
      registers,
    });
    this.dailyBudget = new Gauge({
      name: 'lead_connector_crm_daily_budget_used_ratio',
      help: "Share of a credential's daily CRM limit used, from the CRM's rate-limit headers (credential: a hash of the portal token or org)",
      labelNames: ['destination', 'credential'],
      registers,
    });
    this.dailyBudgetShare = new Gauge({
      name: 'lead_connector_crm_daily_budget_share',
      help: 'The configured shares of a daily CRM limit: level="alert" (LeadCrmDailyBudgetHigh), level="throttle" (only hot leads are delivered)',
      labelNames: ['destination', 'level'],
      registers,
    });
    this.budgetWait = new Histogram({
      name: 'lead_connector_crm_budget_wait_seconds',
      help: "Time a CRM request waited for its credential's call budget (0 when a unit was free); long waits mean the portal's or org's rate limit binds",
      labelNames: ['destination', 'credential'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.circuitChanged(WHOLE_CRM, 'closed');
    this.paused.set({ destination }, 0);
  }

  callCompleted(status: string, records: number, durationMs: number): void {
    const { destination } = this;
    this.calls.inc({ destination, status });
    this.recordsPerCall.observe({ destination }, records);
    this.callDuration.observe({ destination }, durationMs / 1000);
  }

  retried(mode: 'inline' | 'parked', records = 1): void {
    this.retries.inc({ destination: this.destination, mode }, records);
  }

  deadLettered(kind: string): void {
    this.deadLetters.inc({ destination: this.destination, kind });
  }

  deadLetterValueOmitted(): void {
    this.valuesOmitted.inc({ destination: this.destination });
  }

  outcomePublished(outcome: DeliveryOutcome): void {
    this.outcomes.inc({ destination: this.destination, outcome });
  }

  delivered(leadTimestamp: string, deliveredAt: number): void {
    const leadTime = Date.parse(leadTimestamp);
    if (!Number.isNaN(leadTime)) {
      this.speedToLead.observe({ destination: this.destination }, Math.max(0, deliveredAt - leadTime) / 1000);
    }
  }

  circuitChanged(account: string, state: CircuitStateName): void {
    this.circuit.set({ destination: this.destination, account }, CIRCUIT_VALUES[state]);
  }

  consumptionPaused(paused: boolean): void {
    this.paused.set({ destination: this.destination }, paused ? 1 : 0);
  }

  dailyBudgetUsed(credential: string, usedRatio: number): void {
    this.dailyBudget.set({ destination: this.destination, credential }, usedRatio);
  }

  budgetWaited(credential: string, waitedMs: number): void {
    this.budgetWait.observe({ destination: this.destination, credential }, waitedMs / 1000);
  }

  dailyBudgetShares(alert: number, throttle: number): void {
    this.dailyBudgetShare.set({ destination: this.destination, level: 'alert' }, alert);
    this.dailyBudgetShare.set({ destination: this.destination, level: 'throttle' }, throttle);
  }

  inFlightRecords(count: number): void {
    this.inFlight.set({ destination: this.destination }, count);
  }
}
