import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { DependencyUnavailableError, classifyFailure, type FailureClassifier } from './failure-classifier';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifyFailure', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a DNS failure', withCode('getaddrinfo EAI_AGAIN db', 'EAI_AGAIN')],
    [
      'a timeout',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
    ],
    ['a broker connection error', new KafkaJSConnectionError('Connection error: ECONNREFUSED')],
    [
      'retries exhausted against an unreachable broker',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection timeout'), {
        retryCount: 5,
        retryTime: 1_000,
      }),
    ],
    ['a dependency not there yet', new DependencyUnavailableError('producer not connected yet')],
    [
      'a network error wrapped as a cause',
      new Error('write failed', { cause: withCode('socket hang up', 'ECONNRESET') }),
    ],
  ])('%s is infrastructure', (_name, error) => {
    expect(classifyFailure(error)).toBe('infrastructure');
  });

  it.each([
    ['a stack overflow', new RangeError('Maximum call stack size exceeded')],
    ['a bad shape', new TypeError("Cannot read properties of undefined (reading 'email')")],
    ['an unknown error', new Error('something odd')],
    ['a thrown string', 'boom'],
    [
      'a record the broker refuses for its size',
      new KafkaJSProtocolError(
        Object.assign(new Error('The request included a message larger than the max message size'), {
          type: 'MESSAGE_TOO_LARGE',
          code: 10,
          retriable: false,
        }),
      ),
    ],
  ])('%s is a record failure', (_name, error) => {
    expect(classifyFailure(error)).toBe('record');
  });

  it('asks the dependency classifiers first, along the chain of causes', () => {
    const database: FailureClassifier = (error) =>
      (error as { code?: string }).code === '57P01' ? 'infrastructure' : undefined;
    const refusedData: FailureClassifier = (error) =>
      (error as { code?: string }).code === '22P02' ? 'record' : undefined;
    const shutdown = new Error('batch failed', { cause: withCode('terminating connection', '57P01') });
    expect(classifyFailure(shutdown, [refusedData, database])).toBe('infrastructure');
    expect(classifyFailure(withCode('invalid input syntax', '22P02'), [refusedData, database])).toBe(
      'record',
    );
  });

  it('stops at a cycle of causes', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(classifyFailure(error)).toBe('record');
  });
});
