import { UsageError } from './argv';
import { parseDeadOutboxArgs } from './dead-outbox-args';

describe('dlq outbox arguments', () => {
  it('parses each command with its options', () => {
    expect(parseDeadOutboxArgs(['list', '--limit', '5', '--json'])).toEqual({
      name: 'list',
      limit: 5,
      json: true,
    });
    expect(parseDeadOutboxArgs(['inspect', '42', '--show-pii'])).toEqual({
      name: 'inspect',
      id: '42',
      showPii: true,
      json: false,
    });
    expect(parseDeadOutboxArgs(['replay', '--id=7', '--lead', 'l-1', '--dry-run'])).toEqual({
      name: 'replay',
      id: '7',
      leadId: 'l-1',
      dryRun: true,
      json: false,
    });
    expect(parseDeadOutboxArgs(['replay'])).toEqual({ name: 'replay', dryRun: false, json: false });
    expect(parseDeadOutboxArgs([])).toEqual({ name: 'help' });
  });

  it.each([
    [['list', '--limit', '0'], /--limit must be a positive integer/],
    [['inspect'], /needs a row id/],
    [['inspect', 'abc'], /<id> must be a row id/],
    [['replay', '--id', '1; DROP TABLE'], /--id must be a row id/],
    [['replay', '--since', 'x'], /unknown option --since/],
    [['list', '--show-pii'], /does not take --show-pii/],
    [['list', 'extra'], /unexpected argument "extra"/],
    [['purge'], /unknown outbox command "purge"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseDeadOutboxArgs(argv)).toThrow(UsageError);
    expect(() => parseDeadOutboxArgs(argv)).toThrow(message);
  });
});
