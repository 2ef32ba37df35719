import { Parser } from '@asyncapi/parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ASYNCAPI_FILE,
  EVENT_SCHEMA_NAMES,
  EVENT_SCHEMAS,
  EVENT_SCHEMAS_DIR,
  renderedEventSchemas,
  type JsonSchema,
} from './event-schemas';

// libs/contracts/schemas/events, as committed, against the generator and against the AsyncAPI document
// read by @asyncapi/parser (which resolves its references on its own, independently of the generator).

const committed = (file: string) => readFileSync(join(EVENT_SCHEMAS_DIR, file), 'utf8');

/** The schema with every local `#/definitions/...` reference replaced by its target, and no root metadata. */
function inlined(schema: JsonSchema): unknown {
  const { $schema: _schema, $id: _id, title: _title, definitions = {}, ...root } = schema;
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      return inline((definitions as Record<string, unknown>)[ref.replace('#/definitions/', '')]);
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, inline(child)]));
  };
  return inline(root);
}

/** The parser's JSON of a schema, without the `x-parser-*` annotations it adds. */
function withoutParserAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutParserAnnotations);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('x-parser-'))
      .map(([key, child]) => [key, withoutParserAnnotations(child)]),
  );
}

describe('the committed event schemas (libs/contracts/schemas/events)', () => {
  it('are exactly what `npm run contracts:schemas` writes', () => {
    const rendered = renderedEventSchemas();
    expect(readdirSync(EVENT_SCHEMAS_DIR).sort()).toEqual(Object.keys(rendered).sort());
    const stale = Object.entries(rendered)
      .filter(([file, text]) => committed(file) !== text)
      .map(([file]) => `${file}: out of date, run \`npm run contracts:schemas\``);
    expect(stale).toEqual([]);
  });

  it("are each event topic's message payload in the AsyncAPI document, as @asyncapi/parser reads it", async () => {
    const { document, diagnostics } = await new Parser().parse(readFileSync(ASYNCAPI_FILE, 'utf8'));
    if (!document) throw new Error(`the AsyncAPI document does not parse: ${JSON.stringify(diagnostics)}`);
    const fileOfTopic = new Map(
      EVENT_SCHEMA_NAMES.map((name) => [EVENT_SCHEMAS[name].topic, EVENT_SCHEMAS[name].file]),
    );
    const eventChannels = document
      .channels()
      .all()
      .filter((channel) => fileOfTopic.has(channel.address() ?? ''));
    expect(eventChannels.map((channel) => channel.address()).sort()).toEqual([...fileOfTopic.keys()].sort());

    for (const channel of eventChannels) {
      const file = fileOfTopic.get(channel.address() as string) as string;
      const messages = channel.messages().all();
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) {
        expect({
          channel: channel.address(),
          message: message.id(),
          payload: withoutParserAnnotations(message.payload()?.json()),
        }).toEqual({
          channel: channel.address(),
          message: message.id(),
          payload: inlined(JSON.parse(committed(file)) as JsonSchema),
        });
      }
    }
  });
});
