import { CONSUMERS, dlqTopicOf } from '@lead-delivery/contracts';
import { UsageError, allowOnly, limitOption, splitArgv } from './argv';

export type Command =
  | { name: 'help' }
  | { name: 'topics'; json: boolean }
  | { name: 'list'; topic: string; accountId?: string; limit?: number; json: boolean }
  | { name: 'inspect'; topic: string; leadId: string; accountId?: string; showPii: boolean; json: boolean }
  | {
      name: 'replay';
      topic: string;
      accountId?: string;
      leadId?: string;
      since?: Date;
      dryRun: boolean;
      json: boolean;
    };

export const USAGE = `Dead-letter topics: list, inspect and replay them.

  npx tsx tools/dlq/dlq.ts topics                                   DLQ topics and how many records each holds
  npx tsx tools/dlq/dlq.ts list <dlq> [--account <id>] [--limit N]  lead ids, account, error kind, attempts, time, reason
  npx tsx tools/dlq/dlq.ts inspect <dlq> <lead_id> [--account <id>] [--show-pii]
                                                                    headers and value of a lead's dead letters
  npx tsx tools/dlq/dlq.ts replay <dlq> [--account <id> [--lead <id>]] [--since <ISO time>] [--dry-run]
                                                                    send dead letters back to their source topic, once

  npx tsx tools/dlq/dlq.ts outbox help                              the gateway's dead outbox (leads Kafka refused)

<dlq> is a DLQ topic (leads.enriched.v1.dlq.connector-hubspot) or a consumer group (connector-hubspot).
A lead is an account's lead (the same lead id can reach two accounts): --lead goes with --account.
--json prints JSON. Kafka comes from KAFKA_BROKERS (default 127.0.0.1:9092) and the other KAFKA_* variables.`;

/** A DLQ topic from its name or from the consumer group that owns it. */
export function resolveDlqTopic(name: string): string {
  if (name.includes('.dlq.')) return name;
  const consumer = CONSUMERS.find((candidate) => candidate.group === name);
  if (!consumer) throw new UsageError(`"${name}" is neither a DLQ topic nor a known consumer group`);
  if (consumer.topics.length !== 1) {
    const topics = consumer.topics.map((topic) => dlqTopicOf(topic, consumer.group)).join(', ');
    throw new UsageError(`group ${name} has several DLQ topics; name one: ${topics}`);
  }
  return dlqTopicOf(consumer.topics[0] as string, consumer.group);
}

export function parseArgs(argv: string[]): Command {
  const { positional, flags } = splitArgv(argv, {
    valued: ['account', 'lead', 'since', 'limit'],
    switches: ['json', 'show-pii', 'dry-run', 'help'],
  });
  const [command, ...rest] = positional;
  const json = flags.has('json');
  const allow = (...names: string[]) => allowOnly(flags, String(command), ...names);
  const account = () => {
    const id = flags.get('account');
    return id === undefined ? {} : { accountId: String(id) };
  };
  const topicArg = () => {
    if (!rest[0]) throw new UsageError(`${command} needs a DLQ topic or consumer group`);
    return resolveDlqTopic(rest[0]);
  };

  if (command === undefined || command === 'help' || flags.has('help')) return { name: 'help' };
  switch (command) {
    case 'topics':
      allow();
      return { name: 'topics', json };
    case 'list': {
      allow('account', 'limit');
      const limit = limitOption(flags);
      return { name: 'list', topic: topicArg(), json, ...account(), ...limit };
    }
    case 'inspect': {
      allow('account', 'show-pii');
      if (!rest[1]) throw new UsageError('inspect needs a lead id');
      return {
        name: 'inspect',
        topic: topicArg(),
        leadId: rest[1],
        ...account(),
        showPii: flags.has('show-pii'),
        json,
      };
    }
    case 'replay': {
      allow('account', 'lead', 'since', 'dry-run');
      const since = flags.get('since');
      const sinceDate = since === undefined ? undefined : new Date(String(since));
      if (sinceDate && Number.isNaN(sinceDate.getTime()))
        throw new UsageError('--since must be an ISO date-time');
      const lead = flags.get('lead');
      if (lead !== undefined && !flags.has('account')) {
        throw new UsageError('--lead needs --account: the same lead id can be the lead of several accounts');
      }
      return {
        name: 'replay',
        topic: topicArg(),
        dryRun: flags.has('dry-run'),
        json,
        ...account(),
        ...(lead !== undefined ? { leadId: String(lead) } : {}),
        ...(sinceDate ? { since: sinceDate } : {}),
      };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
