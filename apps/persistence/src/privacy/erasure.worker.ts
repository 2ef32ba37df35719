import { toDatabaseError } from '@lead-delivery/database';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { PersistenceMetrics } from '../persistence.metrics';
import type { CrmErasureRequester } from './crm-erasure.requester';
import { AUTOMATED_PLACES, retryDelayMs, type AutomatedPlace } from './erasure-state';
import { settleErasure } from './erasure-settlement';
import type { ErasureTarget } from './erasure-target';
import { eraseFromOutbox } from './outbox-erasure.step';
import { eraseFromPostgres } from './postgres-erasure.step';
import type { SuppressionAnnouncer } from './suppression-announcer';

export interface ErasureWorkerOptions {
  pollIntervalMs: number;
  retryMaxDelayMs: number;
}

interface DuePlace {
  erasure_id: string;
  place: AutomatedPlace;
  email: string | null;
  phone_e164: string | null;
  phone_digits: string[] | null;
  account_id: string | null;
  email_hash: string | null;
  phone_hash: string | null;
}

// One due place, with its request row: locking both (SKIP LOCKED) gives each erasure to one worker at a
// time, so replicas work side by side and the last place of an erasure sees the others' outcome.
// The places of a request fall due together; they are taken in the order of $1, so PostgreSQL (which
// records the CRM places) goes first and the order never depends on how the table is scanned.
const NEXT_DUE_PLACE = `
  SELECT p.erasure_id, p.place, r.email, r.phone_e164, r.phone_digits, r.account_id, r.email_hash, r.phone_hash
  FROM erasure_places p JOIN erasure_requests r ON r.id = p.erasure_id
  WHERE p.state = 'pending' AND p.place = ANY($1::text[]) AND p.next_attempt_at <= now()
  ORDER BY p.next_attempt_at, array_position($1::text[], p.place)
  LIMIT 1
  FOR UPDATE SKIP LOCKED`;
const MARK_DONE = `
  UPDATE erasure_places SET state = 'done', done_at = now(), last_error = NULL, attempts = attempts + 1,
    details = details || $3::jsonb
  WHERE erasure_id = $1 AND place = $2`;
const MARK_FAILED = `
  UPDATE erasure_places SET attempts = attempts + 1, last_error = $3,
    next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
  WHERE erasure_id = $1 AND place = $2 AND state = 'pending'
  RETURNING attempts`;
const PENDING_SUMMARY = `
  SELECT CASE WHEN place = ANY($1::text[]) THEN place ELSE 'crm' END AS place, count(*)::int AS pending,
    COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS oldest_seconds
  FROM erasure_places WHERE state = 'pending' GROUP BY 1`;

/**
 * Drives erasure requests to completion: takes one due automated place at a time, carries it out in the
 * transaction that holds its lock (a crash or restart rolls it back and it is taken again), and settles the
 * request. A failed place is retried with backoff; its error is recorded as a database error code only.
 */
export class ErasureWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PersistenceMetrics,
    private readonly logger: Logger,
    private readonly options: ErasureWorkerOptions,
    private readonly crmRequests: CrmErasureRequester,
    private readonly suppressions: SuppressionAnnouncer,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.runInBackground(), this.options.pollIntervalMs);
    this.runInBackground();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Works until no automated place is due, then asks the connectors for the CRM places due; resolves with
   * how many automated places were settled.
   */
  async workDue(): Promise<number> {
    let settled = 0;
    while (!this.stopped && (await this.workOne())) settled += 1;
    if (!this.stopped) await this.crmRequests.requestDue();
    await this.reportPending();
    return settled;
  }

  private runInBackground(): void {
    if (this.running) return;
    this.running = this.workDue()
      .then(() => undefined)
      .catch((error) =>
        this.logger.warn(
          { err: toDatabaseError(error) },
          'erasure worker pass failed; retried next interval',
        ),
      )
      .finally(() => (this.running = undefined));
  }

  /** Settles one due place; false when none is due. */
  private async workOne(): Promise<boolean> {
    let failed: DuePlace | undefined;
    let failure: unknown;
    const worked = await this.dataSource.transaction(async (manager) => {
      const [due] = (await manager.query(NEXT_DUE_PLACE, [[...AUTOMATED_PLACES]])) as DuePlace[];
      if (!due) return false;
      try {
        // A savepoint, so that a failed step leaves the locks held and the failure is recorded at once.
        await manager.transaction(async (step) => this.carryOut(step, due));
      } catch (error) {
        failed = due;
        failure = error;
        await this.recordFailure(manager, due, error);
      }
      return true;
    });
    if (failed) {
      this.logger.warn(
        { erasureId: failed.erasure_id, place: failed.place, err: toDatabaseError(failure) },
        'erasure step failed; retried with backoff',
      );
    }
    return worked;
  }

  private async carryOut(manager: EntityManager, due: DuePlace): Promise<void> {
    const target: ErasureTarget = {
      email: due.email,
      phoneE164: due.phone_e164,
      phoneDigits: due.phone_digits ?? [],
      accountId: due.account_id,
    };
    const details =
      due.place === 'postgres'
        ? await eraseFromPostgres(manager, due.erasure_id, target)
        : await eraseFromOutbox(manager, target);
    // Connectors learn the suppression before the step is done: a failed publish retries the step.
    if (due.place === 'postgres') {
      await this.suppressions.announce({
        erasureId: due.erasure_id,
        emailHash: due.email_hash,
        phoneHash: due.phone_hash,
        accountId: due.account_id,
      });
    }
    await manager.query(MARK_DONE, [due.erasure_id, due.place, JSON.stringify(details)]);
    if (due.place === 'postgres') this.metrics.leadsErased(Number(details['leads_erased']));
    await settleErasure(manager, due.erasure_id);
    this.logger.info({ erasureId: due.erasure_id, place: due.place, ...details }, 'erasure step done');
  }

  private async recordFailure(manager: EntityManager, due: DuePlace, error: unknown): Promise<void> {
    const [row] = (await manager.query(
      'SELECT attempts FROM erasure_places WHERE erasure_id = $1 AND place = $2',
      [due.erasure_id, due.place],
    )) as Array<{ attempts: number }>;
    const code = (toDatabaseError(error) as { code?: unknown }).code;
    await manager.query(MARK_FAILED, [
      due.erasure_id,
      due.place,
      typeof code === 'string' ? `database error ${code}` : 'step failed (see the service log)',
      retryDelayMs(row?.attempts ?? 0, this.options.retryMaxDelayMs),
    ]);
  }

  private async reportPending(): Promise<void> {
    const rows = (await this.dataSource.query(PENDING_SUMMARY, [[...AUTOMATED_PLACES]])) as Array<{
      place: string;
      pending: number;
      oldest_seconds: number;
    }>;
    this.metrics.erasuresPending(rows);
  }
}
