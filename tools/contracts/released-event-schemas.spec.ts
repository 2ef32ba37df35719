import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_SCHEMAS_DIR, RELEASED_SCHEMAS_DIR } from '../asyncapi/event-schemas';
import { breakingChanges, type JsonSchema } from './schema-compatibility';
import {
  breakingChangesSinceRelease,
  describeIncompatibilities,
  releaseEventSchemas,
  type SchemaDirectories,
} from './released-event-schemas';

// The CI gate: the committed event schemas against the last released ones.

describe('the event schemas since the last release of @lead-delivery/contracts', () => {
  it('break no consumer of a released event (libs/contracts/schemas/released)', () => {
    expect(readdirSync(RELEASED_SCHEMAS_DIR).length).toBeGreaterThan(0);
    const incompatible = breakingChangesSinceRelease({
      current: EVENT_SCHEMAS_DIR,
      released: RELEASED_SCHEMAS_DIR,
    });
    expect(describeIncompatibilities(incompatible)).toBe('');
  });

  it('would accept leads.delivery.v1 with a new optional field, and refuse it without person_key', () => {
    const released = JSON.parse(
      readFileSync(join(RELEASED_SCHEMAS_DIR, 'lead-delivery.v1.schema.json'), 'utf8'),
    ) as JsonSchema;
    const properties = released['properties'] as Record<string, JsonSchema>;
    const { person_key: _personKey, ...withoutPersonKey } = properties;

    expect(
      breakingChanges(released, { ...released, properties: { ...properties, crm_url: { type: 'string' } } }),
    ).toEqual([]);
    expect(breakingChanges(released, { ...released, properties: withoutPersonKey })).toEqual([
      { path: '/person_key', kind: 'removed', detail: 'the field is gone' },
    ]);
  });
});

describe('releaseEventSchemas', () => {
  const delivery = {
    type: 'object',
    required: ['lead_id'],
    properties: { lead_id: { type: 'string' }, attempts: { type: 'integer' } },
  };
  let dirs: SchemaDirectories;
  const write = (dir: string, file: string, schema: object) =>
    writeFileSync(join(dir, file), JSON.stringify(schema));
  const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

  beforeEach(() => {
    const root = mkdtempSync(join(tmpdir(), 'released-schemas-'));
    dirs = { current: join(root, 'events'), released: join(root, 'released') };
    mkdirSync(dirs.current);
    mkdirSync(dirs.released);
    write(dirs.released, 'lead-delivery.v1.schema.json', delivery);
  });
  afterEach(() => rmSync(join(dirs.current, '..'), { recursive: true, force: true }));

  it('makes compatible schemas the baseline, new event versions included', () => {
    const withOptionalField = {
      ...delivery,
      properties: { ...delivery.properties, account_id: { type: 'string' } },
    };
    write(dirs.current, 'lead-delivery.v1.schema.json', withOptionalField);
    write(dirs.current, 'lead-delivery.v2.schema.json', { type: 'object' });

    expect(releaseEventSchemas(dirs)).toEqual([]);
    expect(readdirSync(dirs.released).sort()).toEqual([
      'lead-delivery.v1.schema.json',
      'lead-delivery.v2.schema.json',
    ]);
    expect(read(dirs.released, 'lead-delivery.v1.schema.json')).toEqual(withOptionalField);
  });

  it('refuses, and keeps the baseline, when a released event is broken or gone', () => {
    write(dirs.released, 'lead-enriched.v1.schema.json', { type: 'object' });
    write(dirs.current, 'lead-delivery.v1.schema.json', {
      ...delivery,
      properties: { lead_id: { type: 'string' } },
    });

    const incompatible = releaseEventSchemas(dirs);

    expect(describeIncompatibilities(incompatible).split('\n')).toEqual([
      'lead-delivery.v1.schema.json /attempts: removed, the field is gone',
      'lead-enriched.v1.schema.json (event): removed, the event schema is gone',
    ]);
    expect(read(dirs.released, 'lead-delivery.v1.schema.json')).toEqual(delivery);
  });
});
