import { QueryFailedError } from 'typeorm';
import { DatabaseError, isDataError, toDatabaseError } from './database-error';

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

  it('passes other errors through', () => {
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(toDatabaseError(refused)).toBe(refused);
    expect(toDatabaseError('text')).toEqual(new Error('text'));
  });
});

describe('isDataError', () => {
  it.each(['22001', '22009', '22P02', '23502', '23514', '54000'])(
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
