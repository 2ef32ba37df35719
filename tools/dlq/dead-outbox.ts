import { ConfigError } from '@lead-delivery/config';
import { HEADERS } from '@lead-delivery/contracts';
import { runCommand, type CommandOutput, type Output } from './cli-command';
import { DEAD_OUTBOX_USAGE, parseDeadOutboxArgs, type DeadOutboxCommand } from './dead-outbox-args';
import { DeadOutboxStore, type DeadOutboxRow } from './dead-outbox-store';
import { maskPii } from '@lead-delivery/dead-letters';
import { textTable } from './text-table';

/** `dlq outbox ...`: lists, inspects and replays the gateway's dead outbox. Resolves with the exit code. */
export function runDeadOutboxCli(argv: string[], env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  return runCommand(argv, output, {
    prefix: 'dlq outbox',
    usage: DEAD_OUTBOX_USAGE,
    parse: parseDeadOutboxArgs,
    open: () => {
      const url = env['DATABASE_URL'];
      if (!url) throw new ConfigError(['DATABASE_URL is not set: point it at the gateway database']);
      return new DeadOutboxStore(url);
    },
    run,
  });
}

async function run(
  command: Exclude<DeadOutboxCommand, { name: 'help' }>,
  store: DeadOutboxStore,
  output: CommandOutput,
): Promise<number> {
  const { print } = output;

  if (command.name === 'list') {
    const rows = (await store.list(command.limit)).map(listRow);
    print(rows, () =>
      rows.length === 0
        ? 'the dead outbox is empty'
        : textTable(
            rows.map((row) => [
              row.id,
              row.leadId,
              row.accountId ?? '-',
              row.reason,
              String(row.bytes),
              row.deadAt,
              row.replayedAs ? `as outbox row ${row.replayedAs}` : 'no',
            ]),
            ['id', 'lead_id', 'account', 'reason', 'bytes', 'dead-lettered', 'replayed'],
          ),
    );
    return 0;
  }

  if (command.name === 'inspect') {
    const row = await store.find(command.id);
    if (!row) {
      output.err(`no dead outbox row ${command.id}\n`);
      return 1;
    }
    const view = { ...listRow(row), headers: row.headers, value: valueOf(row, command.showPii) };
    print(view, () => JSON.stringify(view, null, 2));
    return 0;
  }

  const candidates = (await store.list()).filter(
    (row) =>
      (command.id === undefined || row.id === command.id) &&
      (command.leadId === undefined || row.key === command.leadId),
  );
  const already = candidates.filter((row) => row.replayedAt !== null);
  const todo = candidates.filter((row) => row.replayedAt === null);
  const replayed: Array<{ id: string; leadId: string; outboxId: string }> = [];
  if (!command.dryRun) {
    for (const row of todo) {
      const outboxId = await store.replay(row.id);
      if (outboxId !== undefined) replayed.push({ id: row.id, leadId: row.key, outboxId });
    }
  }
  const summary = command.dryRun
    ? { wouldReplay: todo.map((row) => ({ id: row.id, leadId: row.key })), alreadyReplayed: already.length }
    : { replayed, alreadyReplayed: already.length + todo.length - replayed.length };
  print(summary, () =>
    command.dryRun
      ? `would put ${todo.length} row(s) back in the outbox; ${already.length} already replayed before`
      : `put ${replayed.length} row(s) back in the outbox; ${summary.alreadyReplayed} already replayed before`,
  );
  return 0;
}

function listRow(row: DeadOutboxRow) {
  return {
    id: row.id,
    leadId: row.key,
    accountId: row.headers[HEADERS.accountId] ?? null,
    topic: row.topic,
    reason: String(maskPii(row.reason)),
    bytes: Buffer.byteLength(row.value),
    acceptedAt: row.createdAt.toISOString(),
    deadAt: row.deadAt.toISOString(),
    replayedAt: row.replayedAt?.toISOString() ?? null,
    replayedAs: row.replayedAs,
  };
}

function valueOf(row: DeadOutboxRow, showPii: boolean): unknown {
  let value: unknown = row.value;
  try {
    value = JSON.parse(row.value);
  } catch {
    // not JSON: shown as text
  }
  return showPii ? value : maskPii(value);
}
