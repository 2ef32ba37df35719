import { UsageError } from './cli-args';

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

const ID = /^[1-9]\d*$/;

/** Arguments after `outbox`. */
export function parseDeadOutboxArgs(argv: string[]): DeadOutboxCommand {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (['id', 'lead', 'limit'].includes(name)) {
      const value = inline ?? argv[(index += 1)];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (['json', 'show-pii', 'dry-run'].includes(name)) {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  const [command, ...rest] = positional;
  const json = flags.has('json');
  const allow = (...names: string[]) => {
    const extra = [...flags.keys()].filter((flag) => flag !== 'json' && !names.includes(flag));
    if (extra.length > 0) throw new UsageError(`outbox ${command} does not take --${extra.join(', --')}`);
  };
  const id = (value: string | true | undefined, what: string) => {
    if (value === undefined) return undefined;
    if (!ID.test(String(value))) throw new UsageError(`${what} must be a row id (a positive integer)`);
    return String(value);
  };
  if (rest.length > (command === 'inspect' ? 1 : 0) && command !== 'help')
    throw new UsageError(`unexpected argument "${rest.at(-1)}"`);

  if (command === undefined || command === 'help') return { name: 'help' };
  switch (command) {
    case 'list': {
      allow('limit');
      const limit = flags.get('limit');
      if (limit !== undefined && !ID.test(String(limit)))
        throw new UsageError('--limit must be a positive integer');
      return { name: 'list', json, ...(limit !== undefined ? { limit: Number(limit) } : {}) };
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
