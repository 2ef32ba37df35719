import { UsageError, allowOnly, isPositiveInteger, limitOption, splitArgv } from './argv';

export type DeadOutboxCommand =
  | { name: 'help' }
  | { name: 'list'; limit?: number; json: boolean }
  | { name: 'inspect'; id: string; showPii: boolean; json: boolean }
  | { name: 'replay'; id?: string; leadId?: string; dryRun: boolean; json: boolean };

export const DEAD_OUTBOX_USAGE = `The gateway's dead outbox: leads Kafka refused for good (too large, invalid), set aside by the relay.

  npx tsx tools/dlq/dlq.ts outbox list [--limit N]                  id, lead_id, account, reason, size, times, replayed
  npx tsx tools/dlq/dlq.ts outbox inspect <id> [--show-pii]         headers and value of one row
  npx tsx tools/dlq/dlq.ts outbox replay [--id <id>] [--lead <id>] [--dry-run]
                                                                    put rows back in the outbox, once each

PostgreSQL comes from DATABASE_URL (the gateway's database). --json prints JSON.`;

/** Arguments after `outbox`. */
export function parseDeadOutboxArgs(argv: string[]): DeadOutboxCommand {
  const { positional, flags } = splitArgv(argv, {
    valued: ['id', 'lead', 'limit'],
    switches: ['json', 'show-pii', 'dry-run'],
  });
  const [command, ...rest] = positional;
  const json = flags.has('json');
  const allow = (...names: string[]) => allowOnly(flags, `outbox ${command}`, ...names);
  const id = (value: string | true | undefined, what: string) => {
    if (value === undefined) return undefined;
    if (!isPositiveInteger(String(value)))
      throw new UsageError(`${what} must be a row id (a positive integer)`);
    return String(value);
  };
  if (rest.length > (command === 'inspect' ? 1 : 0) && command !== 'help')
    throw new UsageError(`unexpected argument "${rest.at(-1)}"`);

  if (command === undefined || command === 'help') return { name: 'help' };
  switch (command) {
    case 'list': {
      allow('limit');
      return { name: 'list', json, ...limitOption(flags) };
    }
    case 'inspect': {
      allow('show-pii');
      const row = id(rest[0], '<id>');
      if (row === undefined) throw new UsageError('outbox inspect needs a row id');
      return { name: 'inspect', id: row, showPii: flags.has('show-pii'), json };
    }
    case 'replay': {
      allow('id', 'lead', 'dry-run');
      const row = id(flags.get('id'), '--id');
      const lead = flags.get('lead');
      return {
        name: 'replay',
        dryRun: flags.has('dry-run'),
        json,
        ...(row !== undefined ? { id: row } : {}),
        ...(lead !== undefined ? { leadId: String(lead) } : {}),
      };
    }
    default:
      throw new UsageError(`unknown outbox command "${command}"`);
  }
}
