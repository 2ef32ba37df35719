import { LEAD_ENRICHED_V1, dlqTopicOf, retryTopicOf } from '@lead-delivery/contracts';
import {
  StalledPartitionsError,
  startProcessSpan,
  type ConsumedRecord,
  type EventPublisher,
  type MessagingLogger,
} from '@lead-delivery/messaging';
import { partitionStallGauge, type HealthCheck } from '@lead-delivery/observability';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { CallLimiter } from '../budget/call-limiter';
import type { CredentialBudgets } from '../budget/credential-budgets';
import type { DeliverySettings } from '../config/connector-kit.config';
import type { CrmConnector } from '../connector/crm-connector';
import type { KafkaClient } from '../intake/kafka-types';
import { LeadIntake, type IntakeStatus } from '../intake/lead-intake';
import { ConnectorMetrics } from '../metrics/connector-metrics';
import { DeliveryScheduler } from '../pipeline/delivery-scheduler';
import { decodeEnrichedLead } from '../pipeline/enriched-lead';
import { OutcomeRecorder, type TrackedLead } from '../pipeline/outcome-recorder';
import { DeliveryLedger } from '../ledger/delivery-ledger';
import { LedgerPurge } from '../ledger/ledger-purge';
import { LedgeredConnector } from '../ledger/ledgered-connector';
import type { ConnectorStore } from '../store/connector-store';
import type { SuppressionFeed } from '../suppression/suppression-feed';
import { isReplayForAnotherGroup } from '../support/replay-header';

export interface ConnectorRuntimeOptions<Mapped> {
  connector: CrmConnector<Mapped>;
  settings: DeliverySettings;
  kafka: KafkaClient;
  publisher: EventPublisher;
  registry: Registry;
  logger: MessagingLogger;
  store: ConnectorStore;
  /** How long the delivery ledger remembers a lead. */
  ledgerRetentionMs: number;
  /** Leads stamped before the ledger started plus this margin are looked up before writing. */
  ledgerRolloutMarginMs: number;
  /** Each credential's call budget, shared by the replicas. */
  limiter: CallLimiter;
  /** How long a partition may wait on the same records before readiness fails. */
  stallTimeoutMs: number;
  /** Erased identities: their leads are not delivered (outcome `suppressed`). */
  suppression?: SuppressionFeed;
}

export interface ConnectorStatus extends IntakeStatus {
  destination: string;
  group: string;
}

/**
 * A connector's delivery pipeline: consumes `leads.enriched.v1` and its retry topic in the group
 * `connector-<destination>`, keeps the leads routed to the destination, and delivers them through the
 * connector. Starts when the Nest app has bootstrapped; stops (commit what is durable, leave the group)
 * before the producer is flushed and disconnected.
 */
export class ConnectorRuntime<Mapped = unknown> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly group: string;
  readonly topics: { main: string; retry: string; dlq: string };
  /** Liveness: neither the consumer nor the suppression feed has crashed for good. Never looks at the CRM. */
  readonly liveness: HealthCheck;
  /**
   * Readiness: no partition has waited on the same records longer than the stall timeout, unless the whole
   * CRM is down (consumption is then paused on purpose, and the CRM must not decide about probes).
   */
  readonly progress: HealthCheck;
  private readonly intake: LeadIntake;
  private readonly scheduler: DeliveryScheduler<Mapped>;
  private readonly recorder: OutcomeRecorder;
  private readonly ledgerPurge: LedgerPurge;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ConnectorRuntimeOptions<Mapped>) {
    const { connector, settings, kafka, publisher, registry, logger } = options;
    this.group = `connector-${connector.destination}`;
    const main = LEAD_ENRICHED_V1.topic;
    this.topics = { main, retry: retryTopicOf(main, this.group), dlq: dlqTopicOf(main, this.group) };
    const metrics = new ConnectorMetrics(registry, connector.destination);
    this.recorder = new OutcomeRecorder({
      publisher,
      destination: connector.destination,
      group: this.group,
      retryTopic: this.topics.retry,
      metrics,
      logger,
      now: Date.now,
    });
    this.intake = new LeadIntake({
      kafka,
      groupId: this.group,
      topics: this.topics,
      maxInFlight: settings.maxInFlight,
      logger,
      handle: (record, settle) => this.handle(record, settle),
      onInFlightChange: (count) => metrics.inFlightRecords(count),
    });
    const ledger = new DeliveryLedger(
      options.store.pool,
      connector.destination,
      options.ledgerRolloutMarginMs,
    );
    this.ledgerPurge = new LedgerPurge(ledger, options.ledgerRetentionMs, logger);
    this.scheduler = new DeliveryScheduler({
      connector: new LedgeredConnector(connector, ledger, logger),
      settings,
      recorder: this.recorder,
      metrics,
      logger,
      consumption: { pause: () => this.intake.pause(), resume: () => this.intake.resume() },
      limiter: options.limiter,
    });
    partitionStallGauge(registry, this.group, () => this.intake.progress);
    this.progress = {
      name: 'connector_consumer_progress',
      check: async () => {
        const { stallTimeoutMs } = options;
        const stalled = this.intake.progress.stalledLongerThan(stallTimeoutMs);
        if (stalled.length === 0) return { stallTimeoutMs };
        if (this.scheduler.crmDown) return { stallTimeoutMs, waitingForCrm: true };
        throw new StalledPartitionsError(stalled, stallTimeoutMs);
      },
    };
    this.liveness = {
      name: 'connector_consumer',
      check: async () => {
        const { crashed, running, paused, inFlight } = this.intake.status;
        if (crashed) throw new Error(`consumer crashed: ${crashed}`);
        // Without its feed a replica would go on delivering leads of identities erased since.
        const suppressionCrashed = this.options.suppression?.status.crashed;
        if (suppressionCrashed) throw new Error(`suppression feed crashed: ${suppressionCrashed}`);
        return { running, paused, inFlight };
      },
    };
  }

  /**
   * The call budgets of the connector's credentials: the erasure runtime draws on them as well, so the daily
   * usage metric and throttle hear the answers of erasure calls too.
   */
  get budgets(): CredentialBudgets {
    return this.scheduler.budgets;
  }

  get status(): ConnectorStatus {
    return { destination: this.options.connector.destination, group: this.group, ...this.intake.status };
  }

  async onApplicationBootstrap(): Promise<void> {
    // Every erasure announced so far is known before the first lead is delivered.
    await this.options.suppression?.start();
    this.ledgerPurge.start();
    await this.intake.start();
    this.options.logger.info({ group: this.group, topics: this.topics }, 'connector consuming');
  }

  beforeApplicationShutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.intake.stopAccepting();
      await this.scheduler.stop(this.options.settings.shutdownGraceMs);
      await this.intake.stop();
      await this.options.suppression?.stop();
      await this.ledgerPurge.stop();
      this.options.logger.info({ group: this.group }, 'connector stopped');
    })();
    return this.stopping;
  }

  private handle(record: ConsumedRecord, settleRecord: () => void): void {
    // The record's process span lasts until its outcome is durable: queueing, CRM calls and retries.
    const span = startProcessSpan(record, this.group);
    const settle = () => {
      span.end();
      settleRecord();
    };
    try {
      this.route(record, settle);
    } catch (error) {
      // A bug must not leave the record unsettled: its partition's commits would stop for good.
      this.options.logger.error(
        { err: error, topic: record.topic, offset: record.offset },
        'lead handling failed',
      );
      this.recorder.invalid(record, `could not be processed: ${(error as Error).message}`, settle);
    }
  }

  private route(record: ConsumedRecord, settle: () => void): void {
    const { connector } = this.options;
    if (isReplayForAnotherGroup(record, this.topics.dlq)) return settle();
    const decoded = decodeEnrichedLead(record);
    if (!decoded.ok) return this.recorder.invalid(record, decoded.reason, settle);
    const { lead } = decoded;
    if (!lead.event.routing.destinations.includes(connector.destination)) return settle();
    const tracked: TrackedLead = {
      lead,
      record,
      attempts: lead.previousAttempts,
      refusedCalls: lead.previousRefusedCalls,
      settle,
    };
    if (this.options.suppression?.identities.covers(lead.event)) return this.recorder.suppressed(tracked);
    let mapped: Mapped;
    try {
      mapped = connector.map(lead.event);
    } catch (error) {
      return this.recorder.deadLettered(tracked, 'mapping_failed', (error as Error).message ?? String(error));
    }
    this.scheduler.submit({ ...tracked, mapped, inlineRetries: 0 });
  }
}
