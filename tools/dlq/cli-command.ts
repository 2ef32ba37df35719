import { ConfigError } from '@lead-delivery/config';
import { UsageError } from './argv';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandOutput {
  /** Prints a result: as JSON under --json, else as the text. */
  print: (json: unknown, text: () => string) => void;
  err(text: string): void;
}

interface Help {
  name: 'help';
}

export interface CliCommand<Command extends { name: string; json: boolean }, Store> {
  /** How the failure message names the command line, e.g. `dlq outbox`. */
  prefix: string;
  usage: string;
  parse(argv: string[]): Command | Help;
  /** Throws ConfigError when the environment does not say where the store is. */
  open(): Store;
  run(command: Command, store: Store, output: CommandOutput): Promise<number>;
}

/**
 * Parses, opens the store, runs and closes it; resolves with the exit code:
 * 0, 1 (the command failed), 64 (usage) or 78 (configuration).
 */
export async function runCommand<
  Command extends { name: string; json: boolean },
  Store extends { connect(): Promise<void>; close(): Promise<void> },
>(argv: string[], output: Output, cli: CliCommand<Command, Store>): Promise<number> {
  let command: Command | Help;
  try {
    command = cli.parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`${error.message}\n\n${cli.usage}\n`);
    return 64;
  }
  if (isHelp(command)) {
    output.out(`${cli.usage}\n`);
    return 0;
  }
  let store: Store;
  try {
    store = cli.open();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    output.err(`${error.message}\n`);
    return 78;
  }
  const commandOutput: CommandOutput = {
    print: (json, text) => output.out(command.json ? `${JSON.stringify(json, null, 2)}\n` : `${text()}\n`),
    err: (text) => output.err(text),
  };
  try {
    await store.connect();
    return await cli.run(command, store, commandOutput);
  } catch (error) {
    output.err(`${cli.prefix} ${command.name} failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await store.close().catch(() => undefined);
  }
}

function isHelp(command: { name: string }): command is Help {
  return command.name === 'help';
}
