import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { breakingChanges, type BreakingChange, type JsonSchema } from './schema-compatibility';

// The committed event schemas against those of the last released @lead-delivery/contracts. Each event
// version has its own file (`lead-delivery.v1.schema.json`); a released one must stay, compatible.

export interface SchemaDirectories {
  /** The generated schemas (libs/contracts/schemas/events). */
  current: string;
  /** The baseline (libs/contracts/schemas/released). */
  released: string;
}

export interface IncompatibleSchema {
  file: string;
  changes: BreakingChange[];
}

const schemaFiles = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.schema.json'))
        .sort()
    : [];
const readSchema = (dir: string, file: string) =>
  JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonSchema;

/** Every released event whose current schema breaks its consumers (or is gone). */
export function breakingChangesSinceRelease(dirs: SchemaDirectories): IncompatibleSchema[] {
  return schemaFiles(dirs.released).flatMap((file) => {
    const changes = existsSync(join(dirs.current, file))
      ? breakingChanges(readSchema(dirs.released, file), readSchema(dirs.current, file))
      : [{ path: '', kind: 'removed' as const, detail: 'the event schema is gone' }];
    return changes.length > 0 ? [{ file, changes }] : [];
  });
}

/** Makes the current schemas the baseline, unless one breaks a released event. */
export function releaseEventSchemas(dirs: SchemaDirectories): IncompatibleSchema[] {
  const incompatible = breakingChangesSinceRelease(dirs);
  if (incompatible.length > 0) return incompatible;
  mkdirSync(dirs.released, { recursive: true });
  for (const file of schemaFiles(dirs.released)) rmSync(join(dirs.released, file));
  for (const file of schemaFiles(dirs.current))
    copyFileSync(join(dirs.current, file), join(dirs.released, file));
  return [];
}

export function describeIncompatibilities(incompatible: IncompatibleSchema[]): string {
  return incompatible
    .flatMap(({ file, changes }) =>
      changes.map(({ path, kind, detail }) => `${file} ${path || '(event)'}: ${kind}, ${detail}`),
    )
    .join('\n');
}
