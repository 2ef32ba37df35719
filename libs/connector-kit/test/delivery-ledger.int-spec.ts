import { testDatabaseUrl, uniqueName } from '@lead-delivery/testing';
import { ConnectorStore, openConnectorStore } from '../src';
import { DeliveryLedger } from '../src/ledger/delivery-ledger';

const logger = { warn: () => undefined, error: () => undefined };

describe('delivery ledger on PostgreSQL', () => {
  let store: ConnectorStore;
  let ledger: DeliveryLedger;
  const destination = uniqueName('ledger');

  beforeAll(async () => {
    store = await openConnectorStore(
      {
        CONNECTOR_DATABASE_URL: testDatabaseUrl(),
        CONNECTOR_DATABASE_POOL_SIZE: 2,
        CONNECTOR_LEDGER_RETENTION_DAYS: 45,
        CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS: 0,
      },
      { logger, applicationName: 'ledger-int-spec' },
    );
    ledger = new DeliveryLedger(store.pool, destination);
  });

  afterAll(() => store.onApplicationShutdown());

  it('records intents for new leads and tells what it knew of the others, in one statement', async () => {
    expect(await ledger.begin('acct-1', ['a', 'b'])).toEqual(
      new Map([
        ['a', { state: 'new' }],
        ['b', { state: 'new' }],
      ]),
    );
    await ledger.written('acct-1', [{ leadId: 'a', crmRecordId: 'crm-a' }]);

    expect(await ledger.begin('acct-1', ['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', { state: 'written', crmRecordId: 'crm-a' }],
        ['b', { state: 'intent' }],
        ['c', { state: 'new' }],
      ]),
    );
    // Accounts and destinations have their own rows.
    expect((await ledger.begin('acct-2', ['a'])).get('a')).toEqual({ state: 'new' });
    expect(
      (await new DeliveryLedger(store.pool, `${destination}-other`).begin('acct-1', ['a'])).get('a'),
    ).toEqual({
      state: 'new',
    });
  });

  it('clears intents only, never a written lead', async () => {
    await ledger.begin('acct-3', ['x', 'y']);
    await ledger.written('acct-3', [{ leadId: 'x', crmRecordId: 'crm-x' }]);

    await ledger.clearIntents('acct-3', ['x', 'y']);

    expect(await ledger.begin('acct-3', ['x', 'y'])).toEqual(
      new Map([
        ['x', { state: 'written', crmRecordId: 'crm-x' }],
        ['y', { state: 'new' }],
      ]),
    );
  });

  it('purges rows older than the retention, of its destination only', async () => {
    const other = new DeliveryLedger(store.pool, `${destination}-purge-other`);
    await ledger.begin('acct-4', ['old', 'recent']);
    await other.begin('acct-4', ['old']);
    await store.pool.query(
      `UPDATE connector_delivery_ledger SET updated_at = now() - interval '50 days'
        WHERE account_id = 'acct-4' AND lead_id = 'old'`,
    );

    expect(await ledger.purge(45 * 86_400_000)).toBe(1);

    expect((await ledger.begin('acct-4', ['old', 'recent'])).get('recent')).toEqual({ state: 'intent' });
    expect((await other.begin('acct-4', ['old'])).get('old')).toEqual({ state: 'intent' });
  });

  it('trusts leads stamped after the ledger started plus the rollout margin', async () => {
    const { rows } = await store.pool.query<{ installed_at: Date }>(
      'SELECT installed_at FROM connector_ledger_epoch',
    );
    const installedAt = rows[0]?.installed_at.getTime() ?? Number.NaN;

    expect(await new DeliveryLedger(store.pool, destination, 60_000).trustedSince()).toBe(
      installedAt + 60_000,
    );
  });

  it('keeps no personal data: ids and states only', async () => {
    const { rows } = await store.pool.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'connector_delivery_ledger' ORDER BY ordinal_position`,
    );
    expect(rows.map((row) => row.column_name)).toEqual([
      'destination',
      'account_id',
      'lead_id',
      'state',
      'crm_record_id',
      'updated_at',
    ]);
  });
});
