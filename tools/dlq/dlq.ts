// The dead-letter operator CLI: `npx tsx tools/dlq/dlq.ts help`.
import { loadConfig } from '@lead-delivery/config';
import {
  DeadLetterDesk,
  DlqStore,
  type InspectView,
  type ListRow,
  type ReplaySummary,
} from '@lead-delivery/dead-letters';
import { KafkaConfig, createKafkaClient, type MessagingLogger } from '@lead-delivery/messaging';
import { USAGE, parseArgs, type Command } from './cli-args';
import { runCommand, type CommandOutput, type Output } from './cli-command';
import { runDeadOutboxCli } from './dead-outbox';
import { textTable } from './text-table';

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
  const desk = new DeadLetterDesk(store);

  if (command.name === 'topics') {
    const topics = await desk.topics();
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

  if (command.name === 'list') {
    const rows = await desk.list(command.topic, command, { limit: command.limit });
    print(rows, () => (rows.length === 0 ? `${command.topic} is empty` : listTable(rows)));
    return 0;
  }

  if (command.name === 'inspect') {
    const views = await desk.inspect(command.topic, command, command.showPii);
    if (views.length === 0) {
      const of = command.accountId === undefined ? '' : ` of account ${command.accountId}`;
      output.err(`no dead letter of lead ${command.leadId}${of} in ${command.topic}\n`);
      return 1;
    }
    print(views, () => views.map(inspectText).join('\n\n'));
    return 0;
  }

  const summary = await desk.replay(command.topic, command, { dryRun: command.dryRun });
  const verb = command.dryRun ? 'wouldReplay' : 'replayed';
  const json = {
    [verb]: summary.replayed,
    alreadyReplayed: summary.alreadyReplayed,
    notReplayable: summary.notReplayable,
  };
  print(json, () =>
    replayText(
      command.dryRun ? 'would replay' : 'replayed',
      summary.replayed.length,
      summary.alreadyReplayed,
      summary.notReplayable,
    ),
  );
  return 0;
}

function replayText(
  verb: string,
  count: number,
  already: number,
  unusable: ReplaySummary['notReplayable'],
): string {
  return [
    `${verb} ${count} dead letter(s) to their source topic; ${already} already replayed before; ${unusable.length} not replayable`,
    ...unusable.map(
      (letter) => `  ${letter.partition}:${letter.offset} lead ${letter.leadId ?? '-'}: ${letter.reason}`,
    ),
  ].join('\n');
}

function inspectText(view: InspectView): string {
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
