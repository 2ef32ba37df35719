// Regenerates apps/persistence/read-api.openapi.json from the read API's controllers, formatted as
// `npm run format` would. Usage: npm run openapi:read-api (ts-node, not tsx: Nest's dependency injection
// and @nestjs/swagger read the decorator metadata that esbuild does not emit).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { generateReadApiDocument, READ_API_OPENAPI_FILE } from './read-api-openapi-file';

generateReadApiDocument()
  .then((document) => {
    writeFileSync(READ_API_OPENAPI_FILE, JSON.stringify(document));
    const prettier = spawnSync('npx', ['prettier', '--write', READ_API_OPENAPI_FILE], { stdio: 'inherit' });
    if (prettier.status !== 0) throw new Error('prettier could not format it');
  })
  .catch((error: unknown) => {
    console.error(`could not write the read API's OpenAPI document: ${(error as Error).message}`);
    process.exit(1);
  });
