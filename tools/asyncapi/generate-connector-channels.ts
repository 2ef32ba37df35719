// Rewrites the generated regions of asyncapi/lead-platform.asyncapi.yaml (each connector's erasure
// dead-letter channel, the consumer groups of the `{group}` parameters) from libs/contracts' connector
// registry and topic catalogue; the rest of the document is written by hand. A test fails when the
// committed document differs from what this writes.
// Usage: npx tsx tools/asyncapi/generate-connector-channels.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { renderLeadPlatformAsyncApi } from './connector-channels';
import { ASYNCAPI_FILE } from './event-schemas';

try {
  writeFileSync(ASYNCAPI_FILE, renderLeadPlatformAsyncApi(readFileSync(ASYNCAPI_FILE, 'utf8')));
  console.log(`wrote ${relative(WORKSPACE_ROOT, ASYNCAPI_FILE)}`);
} catch (error) {
  console.error(`could not generate the AsyncAPI connector channels: ${(error as Error).message}`);
  process.exit(1);
}
