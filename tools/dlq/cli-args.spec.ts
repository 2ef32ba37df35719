import { UsageError } from './argv';
import { parseArgs, resolveDlqTopic } from './cli-args';

describe('dlq CLI arguments', () => {
  it('parses each command with its options', () => {
    expect(parseArgs(['list', 'leads.enriched.v1.dlq.connector-hubspot', '--limit', '20'])).toEqual({
      name: 'list',
      topic: 'leads.enriched.v1.dlq.connector-hubspot',
      limit: 20,
      json: false,
    });
    expect(parseArgs(['list', 'connector-hubspot', '--account', 'acct-austin'])).toEqual({
      name: 'list',
      topic: 'leads.enriched.v1.dlq.connector-hubspot',
      accountId: 'acct-austin',
      json: false,
    });
    expect(parseArgs(['inspect', 'connector-salesforce', 'lead-1', '--show-pii', '--json'])).toEqual({
      name: 'inspect',
      topic: 'leads.enriched.v1.dlq.connector-salesforce',
      leadId: 'lead-1',
      showPii: true,
      json: true,
    });
    expect(parseArgs(['inspect', 'connector-salesforce', 'lead-1', '--account=acct-austin'])).toEqual({
      name: 'inspect',
      topic: 'leads.enriched.v1.dlq.connector-salesforce',
      leadId: 'lead-1',
      accountId: 'acct-austin',
      showPii: false,
      json: false,
    });
    expect(
      parseArgs([
        'replay',
        'connector-hubspot',
        '--since=2026-01-01T00:00:00Z',
        '--account',
        'acct-austin',
        '--lead',
        'l-9',
        '--dry-run',
      ]),
    ).toEqual({
      name: 'replay',
      topic: 'leads.enriched.v1.dlq.connector-hubspot',
      since: new Date('2026-01-01T00:00:00Z'),
      accountId: 'acct-austin',
      leadId: 'l-9',
      dryRun: true,
      json: false,
    });
    expect(parseArgs([])).toEqual({ name: 'help' });
  });

  it.each([
    [['list'], /needs a DLQ topic/],
    [['inspect', 'connector-hubspot'], /needs a lead id/],
    [['list', 'connector-hubspot', '--limit', '0'], /positive integer/],
    [['replay', 'connector-hubspot', '--since', 'yesterday'], /ISO date-time/],
    [['replay', 'connector-hubspot', '--lead'], /--lead needs a value/],
    [['replay', 'connector-hubspot', '--lead', 'l-9'], /--lead needs --account/],
    [['replay', 'connector-hubspot', '--account'], /--account needs a value/],
    [['list', 'connector-hubspot', '--show-pii'], /does not take --show-pii/],
    [['list', 'connector-hubspot', '--force'], /unknown option --force/],
    [['purge', 'connector-hubspot'], /unknown command "purge"/],
    [['list', 'nobody'], /neither a DLQ topic nor a known consumer group/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('asks for the topic when a group has several DLQs', () => {
    expect(() => resolveDlqTopic('persistence')).toThrow(
      /several DLQ topics; name one: leads.received.v1.dlq.persistence/,
    );
  });
});
