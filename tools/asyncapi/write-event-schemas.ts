// Regenerates libs/contracts/schemas/events/*.schema.json from asyncapi/lead-platform.asyncapi.yaml and
// removes schema files the document no longer defines. The files are committed; a test fails when they
// differ from what this writes.
// Usage: npm run contracts:schemas
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { EVENT_SCHEMAS_DIR, renderedEventSchemas } from './event-schemas';

try {
  const rendered = renderedEventSchemas();
  mkdirSync(EVENT_SCHEMAS_DIR, { recursive: true });
  for (const stale of readdirSync(EVENT_SCHEMAS_DIR).filter((file) => !(file in rendered))) {
    rmSync(join(EVENT_SCHEMAS_DIR, stale));
    console.log(`removed ${relative(WORKSPACE_ROOT, join(EVENT_SCHEMAS_DIR, stale))}`);
  }
  for (const [file, text] of Object.entries(rendered)) {
    writeFileSync(join(EVENT_SCHEMAS_DIR, file), text);
    console.log(`wrote ${relative(WORKSPACE_ROOT, join(EVENT_SCHEMAS_DIR, file))}`);
  }
} catch (error) {
  console.error(`could not write the event schemas: ${(error as Error).message}`);
  process.exit(1);
}
