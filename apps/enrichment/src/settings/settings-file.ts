import { readFileSync } from 'node:fs';

/** Collects every problem of a settings file, each with the JSON path it is about. */
export class SettingsProblems {
  readonly list: string[] = [];

  /** `source` names the file in every problem, e.g. `ROUTING_RULES_FILE (config/routing.json)`. */
  constructor(private readonly source: string) {}

  add(path: string, problem: string, value?: unknown): void {
    const shown = value === undefined ? '' : ` (got ${describeValue(value)})`;
    this.list.push(`${this.source}: ${path || '(top level)'}: ${problem}${shown}`);
  }

  /** The object at `path`, or undefined (with a problem) when it is not one; unknown keys are problems. */
  object(value: unknown, path: string, allowedKeys: readonly string[]): Record<string, unknown> | undefined {
    if (!isPlainObject(value)) {
      this.add(path, 'must be an object', value);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!allowedKeys.includes(key)) {
        this.add(join(path, key), `is not a known setting (expected one of ${allowedKeys.join(', ')})`);
      }
    }
    return value;
  }

  /** The integer at `path` when it is one within [min, max]; otherwise a problem and undefined. */
  integer(value: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.add(path, `must be an integer from ${min} to ${max}`, value);
    return undefined;
  }

  /**
   * An array of strings each accepted by `check` (which may canonicalise them), without repeats;
   * `expected` describes one item (`one of hot, warm, cold`).
   */
  stringList(
    value: unknown,
    path: string,
    expected: string,
    check: (item: string) => string | undefined,
    { allowEmpty = false } = {},
  ): string[] | undefined {
    if (!Array.isArray(value) || (value.length === 0 && !allowEmpty)) {
      this.add(path, `must be a${allowEmpty ? 'n' : ' non-empty'} array, each item ${expected}`, value);
      return undefined;
    }
    const items: string[] = [];
    value.forEach((item, index) => {
      const accepted = typeof item === 'string' ? check(item) : undefined;
      if (accepted === undefined) this.add(`${path}[${index}]`, `must be ${expected}`, item);
      else if (!items.includes(accepted)) items.push(accepted);
    });
    return items;
  }
}

/** Reads and parses a JSON settings file; a problem (not an exception) when it cannot. */
export function readJsonFile(path: string, problems: SettingsProblems): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    problems.add('', `cannot read ${path} as JSON: ${(error as Error).message}`);
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
