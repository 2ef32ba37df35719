import { classifyDatabaseFailure } from '@lead-delivery/database';
import { anEnrichedLead, testDatabaseUrl, uniqueName } from '@lead-delivery/testing';
import { Client, type PoolClient } from 'pg';
import {
  ConnectorError,
  delivered,
  openConnectorStore,
  type ConnectorStore,
  type CrmConnector,
} from '../src';
import { postgresCallLimiter } from '../src/budget/call-limiter';
import { CredentialBudgets } from '../src/budget/credential-budgets';
import { DeliveryLedger } from '../src/ledger/delivery-ledger';
import { LedgeredConnector } from '../src/ledger/ledgered-connector';
import { recordFaultOf } from '../src/pipeline/record-fault';

// Every wait on the connector store is bounded: with its only connection taken, a statement fails within
// the connect timeout as an infrastructure failure (it used to wait for a free connection for ever), a
// statement stuck behind a lock is cancelled by the statement timeout, and a delivery waits for the store
// by retrying in place, then delivers, rather than hanging or failing its leads.

const CONNECT_TIMEOUT_MS = 300;
const STATEMENT_TIMEOUT_MS = 300;

const quietLogger = () => ({ warn: jest.fn(), error: jest.fn() });

/** The pool's only connection, held by someone else until `release`. */
async function exhaust(store: ConnectorStore): Promise<PoolClient> {
  return store.pool.connect();
}

const elapsed = async (run: () => Promise<unknown>) => {
  const started = Date.now();
  const failure = await run().then(
    () => undefined,
    (error: unknown) => error,
  );
  return { failure, ms: Date.now() - started };
};

describe('connector store timeouts on PostgreSQL', () => {
  let store: ConnectorStore;
  const destination = uniqueName('timeouts');

  beforeAll(async () => {
    store = await openConnectorStore(
      {
        CONNECTOR_DATABASE_URL: testDatabaseUrl(),
        CONNECTOR_DATABASE_POOL_SIZE: 1,
        CONNECTOR_DATABASE_CONNECT_TIMEOUT_MS: CONNECT_TIMEOUT_MS,
        CONNECTOR_DATABASE_STATEMENT_TIMEOUT_MS: STATEMENT_TIMEOUT_MS,
      },
      { logger: quietLogger(), applicationName: 'store-timeouts-int-spec' },
    );
  });

  afterAll(() => store.onApplicationShutdown());

  it('fails a ledger statement within the connect timeout when the pool is exhausted, as an infrastructure failure', async () => {
    const ledger = new DeliveryLedger(store.pool, destination);
    const held = await exhaust(store);
    try {
      const { failure, ms } = await elapsed(() => ledger.begin('acct-1', ['lead-1']));

      expect(failure).toEqual(
        expect.objectContaining({ message: 'timeout exceeded when trying to connect' }),
      );
      expect(classifyDatabaseFailure(failure)).toBe('infrastructure');
      expect(ms).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 50);
      expect(ms).toBeLessThan(5_000);
    } finally {
      held.release();
    }
  });

  it('cancels a statement stuck behind a lock after the statement timeout, as an infrastructure failure', async () => {
    const ledger = new DeliveryLedger(store.pool, destination);
    await ledger.begin('acct-2', ['locked']);
    const other = new Client({ connectionString: testDatabaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `SELECT 1 FROM connector_delivery_ledger WHERE destination = $1 AND lead_id = 'locked' FOR UPDATE`,
        [destination],
      );

      const { failure, ms } = await elapsed(() =>
        ledger.written('acct-2', [{ leadId: 'locked', crmRecordId: 'crm-1' }]),
      );

      expect(failure).toEqual(expect.objectContaining({ code: '57014' }));
      expect(classifyDatabaseFailure(failure)).toBe('infrastructure');
      expect(ms).toBeLessThan(5_000);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('holds a delivery while the pool is exhausted (retrying in place, logged), then delivers once a connection frees', async () => {
    const logger = quietLogger();
    const crm: CrmConnector<string> & { calls: number } = {
      destination,
      limits: { maxBatchSize: 10, callsPerWindow: 100, callWindowMs: 1_000 },
      calls: 0,
      map: () => 'mapped',
      async deliver({ records }) {
        crm.calls += 1;
        return records.map((record) => delivered(`crm-${record.key}`));
      },
      classify: (error) => new ConnectorError('transient', String(error)),
    };
    const connector = new LedgeredConnector(crm, new DeliveryLedger(store.pool, destination), logger);
    const record = { key: 'held-lead', record: 'mapped', event: anEnrichedLead('acct-3'), attempt: 1 };
    const held = await exhaust(store);
    let settled = false;
    const delivery = connector
      .deliver(
        { accountId: 'acct-3', records: [record] },
        {
          signal: new AbortController().signal,
          budget: { acquire: async () => undefined, report: () => undefined },
        },
      )
      .finally(() => (settled = true));

    await new Promise((resolve) => setTimeout(resolve, 3 * CONNECT_TIMEOUT_MS));
    expect(settled).toBe(false);
    expect(crm.calls).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ statement: 'read ledger epoch' }),
      'connector store unavailable; retrying the statement',
    );
    held.release();

    await expect(delivery).resolves.toEqual([delivered('crm-held-lead')]);
    expect(crm.calls).toBe(1);
  });

  it('makes a call budget wait a window (logged) rather than hang when the pool is exhausted', async () => {
    const limiter = postgresCallLimiter(destination, store.pool);
    const logger = quietLogger();
    const budgets = new CredentialBudgets({
      limiter,
      settings: { callsPerWindow: 20, callWindowMs: 1_000, dailyAlertShare: 0.8, dailyThrottleShare: 0.95 },
      logger,
      onDailyUsage: () => undefined,
    });
    const credential = { key: 'portal-exhausted' };
    const held = await exhaust(store);
    try {
      const { wait } = await budgets.tryTake(credential);

      expect(wait).toBeGreaterThan(0);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.objectContaining({ credential: 'portal-exhausted' }),
        'call budget store failed; waiting',
      );
    } finally {
      held.release();
    }
    expect(await budgets.tryTake(credential)).toEqual({ wait: 0, remaining: expect.any(Number) });
  });

  it('fails a call whose lead id PostgreSQL cannot hold (a NUL) as a failure on that record, at once and without a CRM call', async () => {
    const logger = quietLogger();
    let calls = 0;
    const crm: CrmConnector<string> = {
      destination,
      limits: { maxBatchSize: 10, callsPerWindow: 100, callWindowMs: 1_000 },
      map: () => 'mapped',
      async deliver({ records }) {
        calls += 1;
        return records.map((record) => delivered(`crm-${record.key}`));
      },
      classify: (error) => new ConnectorError('transient', String(error)),
    };
    const connector = new LedgeredConnector(crm, new DeliveryLedger(store.pool, destination), logger);
    const record = {
      key: 'hostile\u0000lead',
      record: 'mapped',
      event: anEnrichedLead('acct-4'),
      attempt: 1,
    };

    const failure = await connector
      .deliver(
        { accountId: 'acct-4', records: [record] },
        {
          signal: new AbortController().signal,
          budget: { acquire: async () => undefined, report: () => undefined },
        },
      )
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RangeError);
    expect(recordFaultOf(failure)?.reason).toMatch(/invalid byte sequence/);
    expect(calls).toBe(0);
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
