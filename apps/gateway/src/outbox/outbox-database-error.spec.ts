import { DatabaseError } from 'pg';
import { toOutboxDatabaseError } from './outbox-database-error';

describe('toOutboxDatabaseError', () => {
  it("keeps PostgreSQL's message and SQLSTATE, not the detail that quotes the row", () => {
    const failure = new DatabaseError(
      'null value in column "value" violates not-null constraint',
      0,
      'error',
    );
    Object.assign(failure, { code: '23502', detail: 'Failing row contains (jane.doe@example.com).' });

    const logged = toOutboxDatabaseError(failure);

    expect(logged).toMatchObject({ name: 'DatabaseError', code: '23502', message: failure.message });
    expect(JSON.stringify({ ...logged, message: logged.message })).not.toContain('jane.doe');
  });

  it('leaves other errors as they are and turns anything else into an Error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toOutboxDatabaseError(refused)).toBe(refused);
    expect(toOutboxDatabaseError('gone')).toEqual(new Error('gone'));
  });
});
