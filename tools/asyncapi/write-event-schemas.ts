// Writes the events' JSON Schemas (from asyncapi/lead-platform.asyncapi.yaml) and the AsyncAPI document
// itself into a built package; run by `npx nx build contracts` after the TypeScript build.
// Usage: npx tsx tools/asyncapi/write-event-schemas.ts <package dir, e.g. dist/libs/contracts>
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ASYNCAPI_FILE, eventSchemas } from './event-schemas';

const [packageDir] = process.argv.slice(2);
if (!packageDir) {
  console.error('usage: write-event-schemas.ts <package dir>');
  process.exit(64);
}
try {
  const schemasDir = join(resolve(packageDir), 'schemas', 'events');
  mkdirSync(schemasDir, { recursive: true });
  for (const [file, schema] of Object.entries(eventSchemas())) {
    writeFileSync(join(schemasDir, file), `${JSON.stringify(schema, null, 2)}\n`);
    console.log(`wrote ${join(packageDir, 'schemas', 'events', file)}`);
  }
  mkdirSync(join(resolve(packageDir), 'asyncapi'), { recursive: true });
  copyFileSync(ASYNCAPI_FILE, join(resolve(packageDir), 'asyncapi', 'lead-platform.asyncapi.yaml'));
} catch (error) {
  console.error(`could not write the event schemas: ${(error as Error).message}`);
  process.exit(1);
}
