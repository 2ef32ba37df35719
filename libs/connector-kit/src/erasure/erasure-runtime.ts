import {
  CRM_ERASURE_COMPLETED_V1,
  PRIVACY_TOPICS,
  erasureGroupOf,
  type CrmErasureCompletedV1,
} from '@lead-delivery/contracts';
import {
  ConsumerRunner,
  PermanentRecordError,
  type ConsumedRecord,
  type ConsumerObserver,
  type EventPublisher,
  type FailureClassifier,
  type MessagingLogger,
} from '@lead-delivery/messaging';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Credential } from '../budget/call-budget';
import type { CredentialBudgets } from '../budget/credential-budgets';
import { ConnectorError } from '../connector/connector.error';
import type { KafkaClient } from '../intake/kafka-types';
import type { CrmEraser } from './crm-eraser';
import { decodeErasureRequest } from './erasure-request.decoder';

export interface ErasureRuntimeOptions {
  eraser: CrmEraser;
  kafka: KafkaClient;
  publisher: EventPublisher;
  logger: MessagingLogger;
  /**
   * The call budgets of the connector's credentials, the deliveries' own: erasures spend them, and the
   * answers of their calls feed the daily usage.
   */
  budgets: CredentialBudgets;
  observer?: ConsumerObserver;
  /** Attempts at a request that fails by itself before it is dead-lettered (the runner's default: 3). */
  maxRecordAttempts?: number;
  stallTimeoutMs: number;
  now?: () => Date;
}

/** A CRM failure the eraser classified as retryable is an outage: retried in place, nothing committed. */
export const classifyErasureFailure: FailureClassifier = (error) =>
  error instanceof ConnectorError ? (error.retryable ? 'infrastructure' : 'record') : undefined;

/**
 * Carries out the erasure requests addressed to the connector's destination, in its own group
 * (`connector-<destination>-erasure`), on libs/messaging's consumer runner: the offset is committed once the
 * outcome is published. Its CRM calls draw on the account's credential budget like deliveries, and a 429's
 * Retry-After holds that credential for both. A CRM outage, throttling or refused credentials retry the request in place; a
 * request the CRM refuses is published as `rejected` with the reason and dead-lettered; an undecodable one
 * is dead-lettered at once.
 */
export class ErasureRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly group: string;
  private readonly runner: ConsumerRunner;
  private readonly abort = new AbortController();

  constructor(private readonly options: ErasureRuntimeOptions) {
    this.group = erasureGroupOf(options.eraser.destination);
    this.runner = new ConsumerRunner({
      kafka: options.kafka,
      groupId: this.group,
      topics: [PRIVACY_TOPICS.crmErasureRequested],
      handleBatch: async (records) => {
        for (const record of records) await this.handle(record);
      },
      deadLetters: options.publisher,
      logger: options.logger,
      classifiers: [classifyErasureFailure],
      ...(options.maxRecordAttempts ? { maxRecordAttempts: options.maxRecordAttempts } : {}),
      stallTimeoutMs: options.stallTimeoutMs,
      maxRecordsPerCall: 1,
      ...(options.observer ? { observer: options.observer } : {}),
    });
  }

  get status() {
    return this.runner.status;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.runner.stop();
  }

  private async handle(record: ConsumedRecord): Promise<void> {
    const { eraser, logger } = this.options;
    const { destination, command } = decodeErasureRequest(record);
    if (destination !== eraser.destination) return;
    const ids = { erasureId: command.erasureId, accountId: command.accountId, destination };
    const credential: Credential = eraser.credentialOf?.(command.accountId) ?? {
      key: `account:${command.accountId}`, // the delivery scheduler's default: the same budget
    };
    const budget = this.options.budgets.forCall(credential, this.abort.signal);
    try {
      const report = await eraser.erase(command, { signal: this.abort.signal, budget });
      await this.publish({ ...this.base(command, destination), outcome: 'erased', ...report, error: null });
      logger.info({ ...ids, ...report }, 'CRM erasure done');
    } catch (error) {
      const classified = error instanceof ConnectorError ? error : eraser.classify(error);
      if (classified.kind === 'rate_limited' && classified.retryAfterMs !== undefined) {
        this.options.budgets.block(credential, classified.retryAfterMs); // deliveries and every replica wait too
      }
      if (classified.retryable) throw classified;
      await this.publish({
        ...this.base(command, destination),
        outcome: 'rejected',
        method: null,
        counts: {},
        error: classified.message,
      });
      throw new PermanentRecordError(record, `the CRM refused the erasure: ${classified.message}`);
    }
  }

  private base(command: { erasureId: string; accountId: string }, destination: string) {
    return {
      erasure_id: command.erasureId,
      destination,
      account_id: command.accountId,
      occurred_at: (this.options.now?.() ?? new Date()).toISOString(),
    };
  }

  private publish(value: CrmErasureCompletedV1): Promise<void> {
    return this.options.publisher.publish(CRM_ERASURE_COMPLETED_V1, value, { accountId: value.account_id });
  }
}
