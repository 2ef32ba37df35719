import { createTestDatabase, type TestDatabase } from '@lead-delivery/testing';
import { openConnectorStore, type ConnectorStore } from '../src';
import { postgresCallLimiter } from '../src/budget/call-limiter';

// Connectors and their replicas share one store database and start together: the store's schema, the call
// budgets' table included, is created once under the migrations' lock. When the rate limiter library created
// its own table, two processes starting at once on a fresh database raced and one failed to start.

const quietLogger = () => ({ warn: jest.fn(), error: jest.fn() });

describe('connector store startup on a fresh PostgreSQL database', () => {
  let database: TestDatabase;
  const stores: ConnectorStore[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('ld_store_startup');
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.onApplicationShutdown()));
    await database.drop();
  });

  it('opens concurrently in several processes, each able to count calls at once', async () => {
    const opened = await Promise.all(
      ['connector-a', 'connector-b', 'connector-c', 'connector-d'].map((applicationName) =>
        openConnectorStore(
          { CONNECTOR_DATABASE_URL: database.url, CONNECTOR_DATABASE_POOL_SIZE: 2 },
          { logger: quietLogger(), applicationName },
        ),
      ),
    );
    stores.push(...opened);

    const taken = await Promise.all(
      opened.map((store, index) =>
        postgresCallLimiter(`destination-${index}`, store.pool).take('shared-credential', {
          points: 10,
          windowMs: 1_000,
        }),
      ),
    );
    expect(taken).toEqual(opened.map(() => ({ wait: 0, remaining: 9 })));
  });
});
