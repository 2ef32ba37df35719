import { anEnrichedLead } from '@lead-delivery/testing';
import { recordFaultOf } from '../pipeline/record-fault';
import { ConnectorError } from '../connector/connector.error';
import {
  delivered,
  failed,
  skipped,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  type RecordOutcome,
} from '../connector/crm-connector';
import type { LedgerEntry } from './delivery-ledger';
import { LedgeredConnector } from './ledgered-connector';
import { nothingWritten } from './nothing-written';

/** The ledger's rows, in memory, with the same rules as the SQL (begin inserts intents for unknown leads). */
class MemoryLedger {
  readonly rows = new Map<string, { state: 'intent' | 'written'; crmRecordId?: string }>();
  statements = 0;
  trusted = 0;

  async trustedSince(): Promise<number> {
    return this.trusted;
  }

  async begin(accountId: string, leadIds: string[]): Promise<Map<string, LedgerEntry>> {
    this.statements += 1;
    const known = new Map<string, LedgerEntry>();
    for (const leadId of leadIds) {
      const row = this.rows.get(`${accountId}/${leadId}`);
      if (!row) {
        this.rows.set(`${accountId}/${leadId}`, { state: 'intent' });
        known.set(leadId, { state: 'new' });
      } else if (row.state === 'written')
        known.set(leadId, { state: 'written', crmRecordId: row.crmRecordId ?? '' });
      else known.set(leadId, { state: 'intent' });
    }
    return known;
  }

  async written(accountId: string, leads: { leadId: string; crmRecordId: string }[]): Promise<void> {
    if (leads.length > 0) this.statements += 1;
    for (const { leadId, crmRecordId } of leads)
      this.rows.set(`${accountId}/${leadId}`, { state: 'written', crmRecordId });
  }

  async clearIntents(accountId: string, leadIds: string[]): Promise<void> {
    if (leadIds.length > 0) this.statements += 1;
    for (const leadId of leadIds) {
      if (this.rows.get(`${accountId}/${leadId}`)?.state === 'intent')
        this.rows.delete(`${accountId}/${leadId}`);
    }
  }
}

/** A connector that remembers what it was asked and answers as told. */
class ScriptedConnector implements CrmConnector<string> {
  readonly destination = 'scripted';
  readonly limits = { maxBatchSize: 10, callsPerWindow: 100, callWindowMs: 1_000 };
  readonly batches: DeliveryRecord<string>[][] = [];
  answer: (records: DeliveryRecord<string>[]) => RecordOutcome[] = (records) =>
    records.map((record) => delivered(`crm-${record.key}`));

  map(): string {
    return 'mapped';
  }

  async deliver({ records }: DeliveryBatch<string>): Promise<RecordOutcome[]> {
    this.batches.push(records);
    return this.answer(records);
  }

  classify(error: unknown): ConnectorError {
    return error instanceof ConnectorError ? error : new ConnectorError('transient', String(error));
  }
}

const context = { signal: new AbortController().signal } as DeliveryContext;
const logger = { warn: jest.fn() };
/** What pg-pool throws when no connection of the pool came free within connectionTimeoutMillis. */
const poolTimeout = () => new Error('timeout exceeded when trying to connect');
/** What PostgreSQL answers to a NUL in a text parameter. */
const nulRefused = () =>
  Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
const recordOf = (key: string): DeliveryRecord<string> => ({
  key,
  record: key,
  event: anEnrichedLead('acct-1'),
  attempt: 1,
});
const batchOf = (...keys: string[]): DeliveryBatch<string> => ({
  accountId: 'acct-1',
  records: keys.map(recordOf),
});

describe('LedgeredConnector', () => {
  let ledger: MemoryLedger;
  let crm: ScriptedConnector;
  let connector: LedgeredConnector<string>;

  beforeEach(() => {
    ledger = new MemoryLedger();
    crm = new ScriptedConnector();
    connector = new LedgeredConnector(crm, ledger, logger);
    logger.warn.mockClear();
  });

  it('passes new leads as never written, and records them as written after the call', async () => {
    const outcomes = await connector.deliver(batchOf('a', 'b'), context);

    expect(outcomes).toEqual([delivered('crm-a'), delivered('crm-b')]);
    expect(crm.batches[0]?.map((record) => record.outcomeUnknown)).toEqual([false, false]);
    expect(ledger.rows.get('acct-1/a')).toEqual({ state: 'written', crmRecordId: 'crm-a' });
    expect(ledger.statements).toBe(2);
  });

  it('settles written leads without a CRM call, in their place among the others', async () => {
    await connector.deliver(batchOf('a'), context);
    const outcomes = await connector.deliver(batchOf('b', 'a', 'c'), context);

    expect(outcomes).toEqual([delivered('crm-b'), delivered('crm-a'), delivered('crm-c')]);
    expect(crm.batches[1]?.map((record) => record.key)).toEqual(['b', 'c']);
    await connector.deliver(batchOf('a', 'b'), context);
    expect(crm.batches).toHaveLength(2);
  });

  it('marks a lead whose earlier call may have written it (intent left by a crash) as outcome unknown', async () => {
    await ledger.begin('acct-1', ['a']); // a call recorded its intent, then the process died

    await connector.deliver(batchOf('a', 'b'), context);

    expect(crm.batches[0]?.map((record) => [record.key, record.outcomeUnknown])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('keeps the intent of a call that failed after it may have written', async () => {
    crm.answer = () => {
      throw new ConnectorError('transient', 'timeout');
    };
    await expect(connector.deliver(batchOf('a'), context)).rejects.toThrow('timeout');

    crm.answer = (records) => records.map((record) => delivered(`crm-${record.key}`));
    await connector.deliver(batchOf('a'), context);
    expect(crm.batches[1]?.[0]?.outcomeUnknown).toBe(true);
  });

  it('clears the intents of new leads when the call failed before writing, so the retry writes at once', async () => {
    const refused = new ConnectorError('rate_limited', '429');
    crm.answer = () => {
      throw nothingWritten(refused);
    };
    await expect(connector.deliver(batchOf('a'), context)).rejects.toBe(refused);
    expect(ledger.rows.has('acct-1/a')).toBe(false);

    crm.answer = (records) => records.map((record) => delivered(`crm-${record.key}`));
    await connector.deliver(batchOf('a'), context);
    expect(crm.batches[1]?.[0]?.outcomeUnknown).toBe(false);
  });

  it('never clears the intent of a lead that was already unknown, even when the call wrote nothing', async () => {
    await ledger.begin('acct-1', ['a']);
    crm.answer = () => {
      throw nothingWritten(new ConnectorError('unavailable', '503'));
    };
    await expect(connector.deliver(batchOf('a'), context)).rejects.toThrow('503');

    expect(ledger.rows.get('acct-1/a')).toEqual({ state: 'intent' });
  });

  it('clears the intent of a new lead failed with nothing written, keeps it for an uncertain failure', async () => {
    crm.answer = (records) =>
      records.map((record) =>
        record.key === 'b'
          ? failed(nothingWritten(new ConnectorError('rejected', 'bad email')))
          : record.key === 'c'
            ? failed(new ConnectorError('transient', 'no result for this input'))
            : delivered(`crm-${record.key}`),
      );
    const outcomes = await connector.deliver(batchOf('a', 'b', 'c'), context);

    expect(outcomes[1]).toEqual({ ok: false, error: expect.objectContaining({ kind: 'rejected' }) });
    expect(ledger.rows.get('acct-1/a')?.state).toBe('written');
    expect(ledger.rows.has('acct-1/b')).toBe(false);
    expect(ledger.rows.get('acct-1/c')).toEqual({ state: 'intent' });
  });

  it('clears the intent of a new lead the CRM skipped (it wrote nothing), and records it as no write', async () => {
    crm.answer = (records) =>
      records.map((record) =>
        record.key === 'b' ? skipped('lead_source_archived', '204') : delivered(`crm-${record.key}`),
      );
    const outcomes = await connector.deliver(batchOf('a', 'b'), context);

    expect(outcomes[1]).toEqual({ ok: false, skipped: 'lead_source_archived', detail: '204' });
    expect(ledger.rows.get('acct-1/a')?.state).toBe('written');
    expect(ledger.rows.has('acct-1/b')).toBe(false);
  });

  it('never vouches for a lead stamped before the ledger started (plus the rollout margin)', async () => {
    const old = recordOf('old');
    ledger.trusted = Date.parse(old.event.lead.timestamp) + 1;

    await connector.deliver({ accountId: 'acct-1', records: [old] }, context);

    expect(crm.batches[0]?.[0]?.outcomeUnknown).toBe(true);
    expect(ledger.rows.get('acct-1/old')?.state).toBe('written');
  });

  it('forwards what the kit asks of the connector itself: destination, limits, mapping, classification, credential', () => {
    const withCredential = Object.assign(crm, {
      credentialOf: (accountId: string) => ({ key: `portal-of-${accountId}` }),
    });
    const wrapped = new LedgeredConnector(withCredential, ledger, logger);

    expect([wrapped.destination, wrapped.limits, wrapped.map(recordOf('a').event)]).toEqual([
      'scripted',
      crm.limits,
      'mapped',
    ]);
    expect(wrapped.credentialOf?.('acct-1')).toEqual({ key: 'portal-of-acct-1' });
    expect(new LedgeredConnector(new ScriptedConnector(), ledger, logger).credentialOf).toBeUndefined();
  });

  it('records a lead carried twice in one call once', async () => {
    const outcomes = await connector.deliver(batchOf('a', 'a'), context);

    expect(outcomes).toEqual([delivered('crm-a'), delivered('crm-a')]);
    expect(crm.batches[0]?.map((record) => record.outcomeUnknown)).toEqual([false, false]);
  });

  describe('when the store fails', () => {
    /** Makes the ledger's `method` fail `times` times with `error` before it works again. */
    function failing(method: 'begin' | 'written' | 'trustedSince', times: number, error: () => Error) {
      const original = ledger[method].bind(ledger) as (...args: unknown[]) => Promise<unknown>;
      let left = times;
      jest
        .spyOn(ledger, method)
        .mockImplementation(((...args: unknown[]) =>
          left-- > 0 ? Promise.reject(error()) : original(...args)) as never);
    }

    it('retries a statement in place while the store is unavailable (pool timeout), then delivers', async () => {
      failing('begin', 2, poolTimeout);
      failing('written', 1, () =>
        Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
      );

      const outcomes = await connector.deliver(batchOf('a'), context);

      expect(outcomes).toEqual([delivered('crm-a')]);
      expect(crm.batches).toHaveLength(1);
      expect(ledger.rows.get('acct-1/a')).toEqual({ state: 'written', crmRecordId: 'crm-a' });
      expect(logger.warn).toHaveBeenCalledTimes(3);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.objectContaining({ statement: 'begin delivery', failures: 2 }),
        'connector store unavailable; retrying the statement',
      );
    });

    it('stops retrying at shutdown and throws the store failure: no CRM call, nothing settled', async () => {
      failing('trustedSince', Number.POSITIVE_INFINITY, poolTimeout);
      const shutdown = new AbortController();
      const delivery = connector.deliver(batchOf('a'), { ...context, signal: shutdown.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));

      shutdown.abort();

      await expect(delivery).rejects.toThrow('timeout exceeded when trying to connect');
      expect(crm.batches).toHaveLength(0);
    });

    it('throws data the store refuses (a NUL in a lead id) as a failure on a record of its own', async () => {
      failing('begin', 1, nulRefused);

      const failure = await connector.deliver(batchOf('a'), context).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(RangeError);
      expect(recordFaultOf(failure)?.reason).toMatch(/connector store refused the data \(begin delivery\)/);
      expect(crm.batches).toHaveLength(0);
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('throws any other failure as it is, at once', async () => {
      const unknown = new Error('something else');
      jest.spyOn(ledger, 'begin').mockRejectedValueOnce(unknown);

      await expect(connector.deliver(batchOf('a'), context)).rejects.toBe(unknown);
      expect(logger.warn).not.toHaveBeenCalled();
    });
  });
});
