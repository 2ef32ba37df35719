import { TOPICS } from '@lead-delivery/contracts';
import { PermanentRecordError } from '@lead-delivery/messaging';
import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { isDataError, toDatabaseError } from '@lead-delivery/database';
import { PersistenceMetrics } from '../persistence.metrics';
import { reopenErasuresOfLateCopies } from '../privacy/late-crm-copies';
import { IdentitySuppression, PERSONAL_LEAD_FIELDS } from '../privacy/identity-suppression';
import { columnArrays } from './column-arrays';
import {
  deliveryRows,
  enrichedRows,
  leadKeyOf,
  receivedRows,
  type LeadKey,
  type TimelineRow,
} from './lead-history.rows';
import {
  BEGIN_AGAINST_ERASURE,
  INSERT_LEAD_STUBS,
  INSERT_PENDING_DELIVERIES,
  SELECT_STORED_LEADS,
  TIMELINE_ROWS,
  UPSERT_DELIVERIES,
  UPSERT_ENRICHED_LEADS,
  UPSERT_PEOPLE,
  UPSERT_RECEIVED_LEADS,
  withTimeline,
  type RowsStatement,
} from './lead-history.sql';
import type { DeliveryEvent, EnrichedEvent, ReceivedEvent, StoredEvent } from './stored-event.types';

/** The lead fields of a suppressed lead's row: none of its personal data. */
const NO_PERSONAL_DATA = Object.fromEntries(PERSONAL_LEAD_FIELDS.map((name) => [name, null]));

/** Stored leads by key (leadKeyOf): whether their personal data was erased. */
type StoredLeads = Map<string, boolean>;

/** The keys of the erased leads among those stored. */
const erasedOf = (stored: StoredLeads): Set<string> =>
  new Set([...stored].filter(([, erased]) => erased).map(([key]) => key));

/** A statement's rows, for one statement of a batch's writes (withTimeline). */
type Write = [statement: RowsStatement, rows: object[]];

/** What a batch's transaction learnt as it began. */
interface Began {
  /** Whether any erasure is in force (IdentitySuppression.inForceAnywhere). */
  erasuresInForce: boolean;
}

/** Writes the events of one batch; resolves with how many of them were new (not replays). */
type BatchWrite<Event> = (runner: QueryRunner, events: Event[], began: Began) => Promise<number>;

/** The pg client under a TypeORM query runner: its query() answers a simple query of several statements. */
interface PgClient {
  query(sql: string): Promise<Array<{ rows: unknown[] }>>;
}

// Rows go in key order, so that concurrent transactions (one per partition and topic) lock shared rows
// in the same order instead of deadlocking. Each key is built once, not at every comparison.
function sortedBy<T>(rows: T[], key: (row: T) => string): T[] {
  const keyed = rows.map((row) => ({ key: key(row), row }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ row }) => row);
}

/**
 * Stores batches of lead events, each batch in one transaction of multi-row upserts. A failure rolls the
 * whole batch back and is rethrown, so the consumer retries it with nothing committed; only when the data
 * itself cannot be stored is the offending record isolated and handed back as a PermanentRecordError.
 */
@Injectable()
export class LeadHistoryWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PersistenceMetrics,
    private readonly suppression: IdentitySuppression,
  ) {}

  writeReceived(events: ReceivedEvent[]): Promise<void> {
    return this.write(TOPICS.leadReceived, events, async (runner, batch, { erasuresInForce }) => {
      const suppressed = await this.suppression.suppressed(
        runner.manager,
        batch.map(({ lead }) => lead),
        erasuresInForce,
      );
      const rows = receivedRows(batch);
      const leads = rows.leads.map((row) =>
        suppressed.has(leadKeyOf(row)) ? { ...row, ...NO_PERSONAL_DATA, warnings: [], raw: null } : row,
      );
      const stored = await this.writeWithTimeline(
        runner,
        [[UPSERT_RECEIVED_LEADS, sortedBy(leads, leadKeyOf)]],
        rows.timeline,
      );
      await this.suppression.markErased(runner.manager, suppressed);
      return stored;
    });
  }

  writeEnriched(events: EnrichedEvent[]): Promise<void> {
    return this.write(TOPICS.leadEnriched, events, async (runner, batch, { erasuresInForce }) => {
      const erased = erasedOf(
        await this.storedLeads(
          runner,
          batch.map((event) => event.lead),
        ),
      );
      const suppressed = await this.suppression.suppressed(
        runner.manager,
        batch.map(({ lead, phone_e164 }) => ({
          account_id: lead.account_id,
          lead_id: lead.lead_id,
          email: lead.email,
          phone: phone_e164 ?? lead.phone,
        })),
        erasuresInForce,
      );
      for (const key of suppressed.keys()) erased.add(key);
      const rows = enrichedRows(batch, erased);
      // A suppressed lead may have no row yet (its received event comes later): it gets one without
      // personal data, marked erased. It is not among rows.leads (erased), so no two writes touch one row.
      const suppressedStubs = batch
        .filter((event) => suppressed.has(leadKeyOf(event.lead)))
        .map(({ lead }) => ({
          account_id: lead.account_id,
          lead_id: lead.lead_id,
          lead_timestamp: lead.lead_timestamp,
        }));
      const stored = await this.writeWithTimeline(
        runner,
        [
          [UPSERT_PEOPLE, sortedBy(rows.people, (row) => `${row.account_id}\u0000${row.person_key}`)],
          [UPSERT_ENRICHED_LEADS, sortedBy(rows.leads, leadKeyOf)],
          [INSERT_LEAD_STUBS, sortedBy(suppressedStubs, leadKeyOf)],
          [
            INSERT_PENDING_DELIVERIES,
            sortedBy(rows.pendingDeliveries, (row) => `${leadKeyOf(row)}\u0000${row.destination}`),
          ],
        ],
        rows.timeline,
      );
      await this.suppression.markErased(runner.manager, suppressed);
      return stored;
    });
  }

  writeDeliveries(events: DeliveryEvent[]): Promise<void> {
    return this.write(TOPICS.leadDelivery, events, async (runner, batch) => {
      const stored = await this.storedLeads(runner, batch);
      const erased = erasedOf(stored);
      await reopenErasuresOfLateCopies(runner, batch, (delivery) => erased.has(leadKeyOf(delivery)));
      const rows = deliveryRows(batch, erased);
      return this.writeWithTimeline(
        runner,
        [
          // Only a lead not stored yet needs a stub (one stored is committed: it stays).
          [
            INSERT_LEAD_STUBS,
            sortedBy(
              rows.leadStubs.filter((row) => !stored.has(leadKeyOf(row))),
              leadKeyOf,
            ),
          ],
          [
            UPSERT_DELIVERIES,
            sortedBy(rows.deliveries, (row) => `${leadKeyOf(row)}\u0000${row.destination}`),
          ],
        ],
        rows.timeline,
      );
    });
  }

  private async write<Event extends StoredEvent>(
    topic: string,
    events: Event[],
    writeBatch: BatchWrite<Event>,
  ): Promise<void> {
    if (events.length === 0) return;
    const startedAt = process.hrtime.bigint();
    try {
      const stored = await this.inTransaction((runner, began) => writeBatch(runner, events, began));
      this.metrics.eventsWritten(topic, stored, events.length - stored);
      this.metrics.writeDuration(topic, Number(process.hrtime.bigint() - startedAt) / 1e9);
    } catch (error) {
      if (!isDataError(error)) throw error;
      const [only] = events;
      if (events.length === 1 && only)
        throw new PermanentRecordError(only.meta.record, (error as Error).message);
      // Some value of the batch cannot be stored: find its record, one event per transaction.
      for (const event of events) await this.write(topic, [event], writeBatch);
    }
  }

  /**
   * Runs `work` in a transaction under the shared erasure lock, as every write of personal data: an erasure
   * never runs between a batch's checks (suppression, erased leads) and its writes, and never misses a lead
   * the batch inserts.
   */
  private async inTransaction<T>(work: (runner: QueryRunner, began: Began) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      // TypeORM's query() keeps only a single statement's rows.
      const client = (await runner.connect()) as PgClient;
      try {
        const answers = await client.query(`${BEGIN_AGAINST_ERASURE}; ${this.suppression.inForceAnywhere}`);
        const [inForce] = answers.at(-1)?.rows as Array<{ any: boolean }>;
        const result = await work(runner, { erasuresInForce: inForce?.any ?? true });
        await runner.query('COMMIT');
        return result;
      } catch (error) {
        // Also when the lock failed after the transaction began, so the connection goes back to the pool
        // idle (with no transaction open, ROLLBACK only warns).
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw toDatabaseError(error);
    } finally {
      await runner.release();
    }
  }

  /** Which of these leads are stored: by key (leadKeyOf), whether their personal data was erased. */
  private async storedLeads(runner: QueryRunner, leads: LeadKey[]): Promise<StoredLeads> {
    const keys = new Map(
      leads.map(({ account_id, lead_id }) => [leadKeyOf({ account_id, lead_id }), { account_id, lead_id }]),
    );
    const rows: Array<LeadKey & { erased: boolean }> = await runner.query(
      SELECT_STORED_LEADS.sql,
      columnArrays(SELECT_STORED_LEADS.columns, [...keys.values()]),
    );
    return new Map(rows.map((row) => [leadKeyOf(row), row.erased]));
  }

  /**
   * The writes (those with rows) and the timeline, in one statement (withTimeline); how many timeline rows
   * were new.
   */
  private async writeWithTimeline(
    runner: QueryRunner,
    writes: Write[],
    timeline: TimelineRow[],
  ): Promise<number> {
    const withRows = writes.filter(([, rows]) => rows.length > 0);
    const sorted = sortedBy(timeline, (row) => `${row.event_source}\u0000${row.event_id}`);
    const [result] = (await runner.query(withTimeline(withRows.map(([statement]) => statement)), [
      ...withRows.flatMap(([statement, rows]) => columnArrays(statement.columns, rows)),
      ...columnArrays(TIMELINE_ROWS, sorted),
    ])) as Array<{ stored: number }>;
    return result?.stored ?? 0;
  }
}
