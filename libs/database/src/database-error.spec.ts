import { DatabaseError as PgDatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DatabaseError, classifyDatabaseFailure, isDataError, toDatabaseError } from './database-error';

const failed = (code: string, message = 'boom') =>
  new QueryFailedError(
    'INSERT INTO leads ...',
    ['[{"email":"jane@example.com"}]'],
    Object.assign(new Error(message), { code }),
  );

describe('toDatabaseError', () => {
  it('keeps the message and SQLSTATE of a failed query, never its parameters', () => {
    const error = toDatabaseError(failed('22009', 'time zone displacement out of range'));
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ message: 'time zone displacement out of range', code: '22009' });
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      'jane@example.com',
    );
  });

  it("keeps node-postgres's message and SQLSTATE, not the detail that quotes the row", () => {
    const failure = new PgDatabaseError(
      'null value in column "value" violates not-null constraint',
      0,
      'error',
    );
    Object.assign(failure, { code: '23502', detail: 'Failing row contains (jane.doe@example.com).' });

    const error = toDatabaseError(failure);

    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ code: '23502', message: failure.message });
    expect(isDataError(error)).toBe(true);
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      'jane.doe',
    );
  });

  it('passes other errors through', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(toDatabaseError(refused)).toBe(refused);
    expect(toDatabaseError('text')).toEqual(new Error('text'));
  });
});

describe('isDataError', () => {
  it.each(['22001', '22009', '22P02', '23502', '23514', '54000', '54001'])(
    'is true for SQLSTATE %s: retrying cannot help',
    (code) => {
      expect(isDataError(toDatabaseError(failed(code)))).toBe(true);
    },
  );

  it.each(['08006', '57P01', '57P03', '40001', '40P01', '53300', '23503', '23505'])(
    'is false for SQLSTATE %s: the batch is retried',
    (code) => {
      expect(isDataError(toDatabaseError(failed(code)))).toBe(false);
    },
  );

  it('is false for errors without a SQLSTATE (connection refused, timeouts)', () => {
    expect(isDataError(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});

describe('classifyDatabaseFailure', () => {
  it.each([
    '08006',
    '08001',
    '28P01',
    '3D000',
    '42P01',
    '53300',
    '53200',
    '57014',
    '57P01',
    '57P03',
    '58030',
    '40001',
    '40P01',
    '55P03',
  ])('SQLSTATE %s is infrastructure: retried in place until the database recovers', (code) => {
    expect(classifyDatabaseFailure(toDatabaseError(failed(code)))).toBe('infrastructure');
  });

  it.each(['22P02', '22021', '23502', '54001'])(
    'SQLSTATE %s is a record failure: the data is refused',
    (code) => {
      expect(classifyDatabaseFailure(toDatabaseError(failed(code)))).toBe('record');
    },
  );

  it('reads the SQLSTATE of TypeORM and driver errors too', () => {
    expect(classifyDatabaseFailure(failed('57P01'))).toBe('infrastructure');
    const driverError = Object.assign(new Error('terminating connection'), { code: '57P01' });
    expect(classifyDatabaseFailure(driverError)).toBe('infrastructure');
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Cannot use a pool after calling end on the pool',
  ])('"%s" (no SQLSTATE) is infrastructure', (message) => {
    expect(classifyDatabaseFailure(new Error(message))).toBe('infrastructure');
  });

  it('does not judge what it does not know: other SQLSTATEs, Node errors, anything else', () => {
    expect(classifyDatabaseFailure(toDatabaseError(failed('23505')))).toBeUndefined();
    expect(
      classifyDatabaseFailure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    ).toBeUndefined();
    expect(classifyDatabaseFailure(new RangeError('Maximum call stack size exceeded'))).toBeUndefined();
  });
});
