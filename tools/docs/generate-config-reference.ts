// Regenerates docs/configuration.md from the apps' config classes.
// Usage: npx tsx tools/docs/generate-config-reference.ts
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { WORKSPACE_ROOT } from './app-configs';
import { CONFIG_REFERENCE_FILE, renderConfigReference } from './config-reference';

try {
  writeFileSync(CONFIG_REFERENCE_FILE, renderConfigReference());
  console.log(`wrote ${relative(WORKSPACE_ROOT, CONFIG_REFERENCE_FILE)}`);
} catch (error) {
  console.error(`could not generate the configuration reference: ${(error as Error).message}`);
  process.exit(1);
}
