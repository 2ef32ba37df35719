import { pendingPgMigrations } from './pending-pg-migrations';
import type { PgMigration } from './pg-migration';

const migration = (name: string): PgMigration => ({ name, up: async () => undefined });

class CreateThings1700000000002 implements PgMigration {
  up = async () => undefined;
}

describe('pendingPgMigrations', () => {
  it('keeps the migrations the history does not name, oldest timestamp first', () => {
    const pending = pendingPgMigrations(
      [
        migration('AddColor1700000000003'),
        migration('CreateWidgets1700000000001'),
        migration('AddSize1700000000002'),
      ],
      new Set(['CreateWidgets1700000000001']),
    );
    expect(pending.map(({ name, timestamp }) => [name, timestamp])).toEqual([
      ['AddSize1700000000002', 1_700_000_000_002],
      ['AddColor1700000000003', 1_700_000_000_003],
    ]);
  });

  it('names a migration without a `name` after its class, as TypeORM does', () => {
    expect(pendingPgMigrations([new CreateThings1700000000002()], new Set())).toMatchObject([
      { name: 'CreateThings1700000000002', timestamp: 1_700_000_000_002 },
    ]);
  });

  it('refuses a name that does not end in a JavaScript timestamp', () => {
    expect(() => pendingPgMigrations([migration('CreateWidgets')], new Set())).toThrow(
      'CreateWidgets migration name is wrong',
    );
  });

  it('refuses a name given twice', () => {
    expect(() =>
      pendingPgMigrations(
        [migration('CreateWidgets1700000000001'), migration('CreateWidgets1700000000001')],
        new Set(),
      ),
    ).toThrow('Duplicate migrations: CreateWidgets1700000000001');
  });
});
