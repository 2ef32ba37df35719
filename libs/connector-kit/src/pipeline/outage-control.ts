import type { MessagingLogger } from '@lead-delivery/messaging';
import type { ConnectorError } from '../connector/connector.error';
import { WHOLE_CRM, type ConnectorMetrics } from '../metrics/connector-metrics';
import { OutageGate, type GateState } from './outage-gate';

/** How the scheduler tells the consumer to stop and restart fetching on a CRM-wide outage. */
export interface ConsumptionControl {
  pause(): void;
  resume(): void;
}

export interface OutageControlOptions {
  settings: { outageThreshold: number; outagePauseMs: number };
  destination: string;
  consumption: ConsumptionControl;
  metrics: Pick<ConnectorMetrics, 'circuitChanged' | 'consumptionPaused'>;
  logger: MessagingLogger;
  /** The gate let a trial call through: the scheduler should look for one. */
  onTrial(): void;
  now: () => number;
}

/**
 * Acts on the outage gate: when the whole CRM is throttling or down, consumption pauses; after the pause,
 * consumption resumes for one trial call, and a call the CRM answers closes the gate.
 */
export class OutageControl {
  private readonly gate: OutageGate;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: OutageControlOptions) {
    const { outageThreshold, outagePauseMs } = options.settings;
    this.gate = new OutageGate({ threshold: outageThreshold, pauseMs: outagePauseMs });
  }

  get state(): GateState {
    return this.gate.state;
  }

  /** When an open gate lets a trial call through. */
  get openUntil(): number {
    return this.gate.openUntil;
  }

  /** A call failed as a whole; pauses consumption when that makes the CRM down. */
  failed(accountId: string, failure: ConnectorError, now: number): void {
    if (!this.gate.recordFailure(accountId, failure, now)) return;
    const { consumption, metrics, logger, destination } = this.options;
    consumption.pause();
    metrics.consumptionPaused(true);
    metrics.circuitChanged(WHOLE_CRM, 'open');
    logger.warn(
      { destination, kind: failure.kind, pauseMs: this.gate.openUntil - now },
      'the whole CRM is throttling or down: consumption paused',
    );
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.trial(), Math.max(0, this.gate.openUntil - now));
  }

  /** The CRM answered a call (even refusing its data); resumes consumption when that closed the gate. */
  answered(): void {
    if (!this.gate.recordSuccess()) return;
    clearTimeout(this.timer);
    const { consumption, metrics, logger, destination } = this.options;
    metrics.circuitChanged(WHOLE_CRM, 'closed');
    metrics.consumptionPaused(false);
    consumption.resume();
    logger.info({ destination }, 'the CRM answers again');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private trial(): void {
    if (this.stopped || this.gate.state !== 'open') return;
    const { consumption, metrics, logger, destination, now } = this.options;
    if (!this.gate.halfOpenIfDue(now())) {
      // Timers run on a monotonic clock and may fire a millisecond before the wall clock says so.
      this.timer = setTimeout(() => this.trial(), Math.max(1, this.gate.openUntil - now()));
      return;
    }
    metrics.circuitChanged(WHOLE_CRM, 'half-open');
    metrics.consumptionPaused(false);
    consumption.resume();
    logger.info({ destination }, 'consumption resumed for a trial call');
    this.options.onTrial();
  }
}
