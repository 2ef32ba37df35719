/** A mistake in the command line: printed with the usage, exit code 64. */
export class UsageError extends Error {}

export interface SplitArgv {
  positional: string[];
  /** Options by name without the dashes: a value, or true for a switch. */
  flags: Map<string, string | true>;
}

/** Splits argv into positional arguments and `--options`; `valued` options take `=value` or the next argument. */
export function splitArgv(
  argv: string[],
  options: { valued: readonly string[]; switches: readonly string[] },
): SplitArgv {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (options.valued.includes(name)) {
      const value = inline ?? argv[(index += 1)];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (options.switches.includes(name)) {
      flags.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, flags };
}

/** Refuses any option but --json and the ones `command` takes. */
export function allowOnly(flags: SplitArgv['flags'], command: string, ...names: string[]): void {
  const extra = [...flags.keys()].filter((flag) => flag !== 'json' && !names.includes(flag));
  if (extra.length > 0) throw new UsageError(`${command} does not take --${extra.join(', --')}`);
}

/** --limit N as `{ limit }`, or nothing when absent. */
export function limitOption(flags: SplitArgv['flags']): { limit?: number } {
  const limit = flags.get('limit');
  if (limit === undefined) return {};
  if (!isPositiveInteger(String(limit))) throw new UsageError('--limit must be a positive integer');
  return { limit: Number(limit) };
}

export function isPositiveInteger(value: string): boolean {
  return /^[1-9]\d*$/.test(value);
}
