// The dead-letter operator CLI: `npx tsx tools/dlq/dlq.ts help`.
import { loadConfig } from '@lead-delivery/config';
import { HEADERS } from '@lead-delivery/contracts';
import { KafkaConfig, createKafkaClient, type MessagingLogger } from '@lead-delivery/messaging';
import { USAGE, parseArgs, type Command } from './cli-args';
import { runCommand, type CommandOutput, type Output } from './cli-command';
import { runDeadOutboxCli } from './dead-outbox';
import {
  accountIdOf,
  leadIdOf,
  listRow,
  replayOf,
  selects,
  type DeadLetter,
  type ListRow,
} from './dlq-records';
import { DlqStore } from './dlq-store';
import { maskPii } from './pii-view';
import { emptyProgress, isReplayed, markReplayed, type PartitionProgress } from './replay-progress';
import { textTable } from './text-table';

const REPLAY_CHUNK = 100;

/** Runs one command; resolves with the process exit code. */
export async function runDlqCli(argv: string[], env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  if (argv[0] === 'outbox') return runDeadOutboxCli(argv.slice(1), env, output);
  return runCommand(argv, output, {
    prefix: 'dlq',
    usage: USAGE,
    parse: parseArgs,
    open: () => {
      const { kafka } = loadConfig({ kafka: KafkaConfig }, { KAFKA_BROKERS: '127.0.0.1:9092', ...env });
      return new DlqStore(createKafkaClient(kafka, 'dlq-cli', errorsTo(output)));
    },
    run,
  });
}

async function run(
  command: Exclude<Command, { name: 'help' }>,
  store: DlqStore,
  output: CommandOutput,
): Promise<number> {
  const { print } = output;

  if (command.name === 'topics') {
    const topics = await store.dlqTopics();
    print(topics, () =>
      topics.length === 0
        ? 'no DLQ topics'
        : textTable(
            topics.map((t) => [t.topic, String(t.records)]),
            ['topic', 'records'],
          ),
    );
    return 0;
  }

  const letters = await store.read(command.topic);
  const progress = await store.progress(command.topic);
  const replayed = (letter: DeadLetter) =>
    isReplayed(progress.get(letter.partition) ?? emptyProgress(), BigInt(letter.offset));

  if (command.name === 'list') {
    const rows = letters
      .filter((letter) => selects(command, letter))
      .map((letter) => listRow(letter, replayed(letter)))
      .slice(-(command.limit ?? letters.length));
    print(rows, () => (rows.length === 0 ? `${command.topic} is empty` : listTable(rows)));
    return 0;
  }

  if (command.name === 'inspect') {
    const matches = letters.filter((letter) => selects(command, letter));
    if (matches.length === 0) {
      const of = command.accountId === undefined ? '' : ` of account ${command.accountId}`;
      output.err(`no dead letter of lead ${command.leadId}${of} in ${command.topic}\n`);
      return 1;
    }
    const views = matches.map((letter) => inspectView(letter, replayed(letter), command.showPii));
    print(views, () => views.map(inspectText).join('\n\n'));
    return 0;
  }

  const candidates = letters.filter((letter) => selects(command, letter));
  const already = candidates.filter(replayed);
  const todo = candidates.filter((letter) => !replayed(letter));
  const plans = todo.map((letter) => ({ letter, plan: replayOf(letter) }));
  const unusable = plans.filter(({ plan }) => !plan.ok);
  const sendable = plans.filter(({ plan }) => plan.ok);
  const summary = (verb: string) => ({
    [verb]: sendable.map(({ letter, plan }) => ({
      partition: letter.partition,
      offset: letter.offset,
      accountId: accountIdOf(letter),
      leadId: leadIdOf(letter),
      to: plan.ok ? plan.record.topic : null,
    })),
    alreadyReplayed: already.length,
    notReplayable: unusable.map(({ letter, plan }) => ({
      partition: letter.partition,
      offset: letter.offset,
      accountId: accountIdOf(letter),
      leadId: leadIdOf(letter),
      reason: plan.ok ? null : plan.reason,
    })),
  });

  if (command.dryRun) {
    print(summary('wouldReplay'), () =>
      replayText('would replay', sendable.length, already.length, summary('wouldReplay').notReplayable),
    );
    return 0;
  }
  if (sendable.length > 0) {
    const writer = await store.progressWriter(command.topic);
    try {
      let current = new Map<number, PartitionProgress>(progress);
      for (let start = 0; start < sendable.length; start += REPLAY_CHUNK) {
        const chunk = sendable.slice(start, start + REPLAY_CHUNK);
        await store.send(chunk.flatMap(({ plan }) => (plan.ok ? [plan.record] : [])));
        current = advance(
          current,
          chunk.map(({ letter }) => letter),
        );
        await writer.save(current);
      }
    } finally {
      await writer.close();
    }
  }
  print(summary('replayed'), () =>
    replayText('replayed', sendable.length, already.length, summary('replayed').notReplayable),
  );
  return 0;
}

function advance(
  progress: Map<number, PartitionProgress>,
  letters: DeadLetter[],
): Map<number, PartitionProgress> {
  const next = new Map(progress);
  for (const partition of new Set(letters.map((letter) => letter.partition))) {
    const offsets = letters
      .filter((letter) => letter.partition === partition)
      .map((letter) => BigInt(letter.offset));
    next.set(partition, markReplayed(next.get(partition) ?? emptyProgress(), offsets));
  }
  return next;
}

function replayText(
  verb: string,
  count: number,
  already: number,
  unusable: Array<{ partition: number; offset: string; leadId: string | null; reason: string | null }>,
): string {
  return [
    `${verb} ${count} dead letter(s) to their source topic; ${already} already replayed before; ${unusable.length} not replayable`,
    ...unusable.map(
      (letter) => `  ${letter.partition}:${letter.offset} lead ${letter.leadId ?? '-'}: ${letter.reason}`,
    ),
  ].join('\n');
}

function inspectView(letter: DeadLetter, replayed: boolean, showPii: boolean) {
  const text = letter.value?.toString('utf8') ?? null;
  let value: unknown = text;
  try {
    value = text === null ? null : JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  const reason = letter.headers[HEADERS.errorReason];
  return {
    topic: letter.topic,
    partition: letter.partition,
    offset: letter.offset,
    accountId: accountIdOf(letter),
    leadId: leadIdOf(letter),
    replayed,
    headers: showPii
      ? letter.headers
      : { ...letter.headers, ...(reason ? { [HEADERS.errorReason]: String(maskPii(reason)) } : {}) },
    value: showPii ? value : maskPii(value),
  };
}

function inspectText(view: ReturnType<typeof inspectView>): string {
  const headers = Object.entries(view.headers).map(([name, value]) => `  ${name}: ${value}`);
  return [
    `${view.topic} partition ${view.partition} offset ${view.offset}  account ${view.accountId}  lead ${view.leadId}  replayed: ${view.replayed ? 'yes' : 'no'}`,
    'headers:',
    ...headers,
    'value:',
    JSON.stringify(view.value, null, 2),
  ].join('\n');
}

function listTable(rows: ListRow[]): string {
  return textTable(
    rows.map((row) => [
      `${row.partition}:${row.offset}`,
      row.leadId ?? '-',
      row.accountId ?? '-',
      row.valueOmitted ? `${row.kind ?? '-'} (value omitted)` : (row.kind ?? '-'),
      row.attempts === null ? '-' : String(row.attempts),
      row.deadLetteredAt,
      row.replayed ? 'yes' : 'no',
      (row.reason ?? '-').slice(0, 100),
    ]),
    ['at', 'lead_id', 'account', 'kind', 'attempts', 'dead-lettered', 'replayed', 'reason'],
  );
}

function errorsTo(output: Output): MessagingLogger {
  const write = (_context: object, message: string) => output.err(`kafka: ${message}\n`);
  return { debug: () => undefined, info: () => undefined, warn: () => undefined, error: write };
}

if (require.main === module) {
  runDlqCli(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
