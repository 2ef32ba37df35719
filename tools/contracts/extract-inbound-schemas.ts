// Regenerates libs/contracts/src/schemas/*.schema.json from the inbound AsyncAPI spec, so the published
// contracts package carries the spec's payload schemas as plain JSON Schema.
// Usage: npx tsx tools/contracts/extract-inbound-schemas.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const spec = parse(readFileSync(join(root, 'asyncapi/realtor-lead-delivery.asyncapi.yaml'), 'utf8'));

const targets = {
  StandardLeadPayload: 'standard-lead.schema.json',
  EnhancedLeadPayload: 'enhanced-lead.schema.json',
};

for (const [name, file] of Object.entries(targets)) {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://lead-delivery.internal/schemas/inbound/${file}`,
    title: name,
    ...spec.components.schemas[name],
  };
  writeFileSync(join(root, 'libs/contracts/src/schemas', file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote libs/contracts/src/schemas/${file}`);
}
