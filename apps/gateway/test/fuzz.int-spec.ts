import { specGeneratedLeads } from '@lead-delivery/testing';
import seedrandom from 'seedrandom';
import { startGateway, testAccounts, type RunningGateway } from './gateway-fixture';

const accounts = testAccounts();
const random = seedrandom('gateway-fuzz-20261127');
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (max: number) => Math.floor(random() * max);

type Json = Record<string, unknown>;
const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  '💥',
  'x'.repeat(5_000),
  [],
  [1, 'a'],
  {},
  { a: { b: { c: {} } } },
  '2026-13-45T99:99:99Z',
  'not-an-email',
];
const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '',
  ' ',
  'lead_id ',
  '😀',
  'a/b',
  'a~b',
  'x'.repeat(300),
];

function keysOf(value: Json, path: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, child]) =>
    child && typeof child === 'object' && !Array.isArray(child)
      ? [[...path, key], ...keysOf(child as Json, [...path, key])]
      : [[...path, key]],
  );
}

function parentOf(lead: Json, path: string[]): Json {
  return path.slice(0, -1).reduce<Json>((node, key) => node[key] as Json, lead);
}

/** Structural mutations of a valid lead. */
const mutateObject: Array<(lead: Json) => unknown> = [
  (lead) => {
    const path = pick(keysOf(lead));
    delete parentOf(lead, path)[path[path.length - 1] as string];
    return lead;
  },
  (lead) => {
    const path = pick(keysOf(lead));
    parentOf(lead, path)[path[path.length - 1] as string] = pick(ODD_VALUES);
    return lead;
  },
  (lead) => ({ ...lead, [pick(ODD_KEYS)]: pick(ODD_VALUES) }),
  (lead) => ({ ...lead, contact: { ...(lead['contact'] as Json), [pick(ODD_KEYS)]: pick(ODD_VALUES) } }),
  (lead) => pick([lead['contact'], [lead], 'lead', 42, null, true]),
  (lead) => {
    let nested: unknown = lead;
    for (let depth = 0; depth < 2_000; depth++) nested = { property: nested };
    return nested;
  },
];

/** Byte-level mutations of the serialised lead. */
const mutateText: Array<(text: string) => string | Buffer> = [
  (text) => text.slice(0, int(text.length)),
  (text) => {
    const at = int(text.length);
    return (
      text.slice(0, at) + pick(['"', '{', '}', ',', ':', '\\', '\u0000', '\n', 'ä']) + text.slice(at + 1)
    );
  },
  (text) =>
    Buffer.concat([
      Buffer.from(text.slice(0, int(text.length))),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(text.slice(int(text.length))),
    ]),
  () => pick(['', ' ', 'null', '[]', '123', '"lead"', 'true', '{', '{"lead_id":}', '[[[[[[[[[[', '\ufeff{}']),
  (text) => `${text}${text}`,
  (text) => text.replace(/"/g, "'"),
  () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`.slice(0, 60_000),
];

describe('fuzzing POST /lead-delivery (seeded, 2,000 bodies)', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(accounts.file);
  });

  afterAll(async () => {
    await gateway.close();
  });

  it('never answers 5xx, never crashes, and every rejection names a field or the JSON error', async () => {
    const bases = specGeneratedLeads(4242, 200);
    const failures: string[] = [];
    const statuses = new Map<number, number>();

    for (let index = 0; index < 2_000; index++) {
      const base = structuredClone(pick(bases));
      const body =
        random() < 0.5 ? JSON.stringify(pick(mutateObject)(base)) : pick(mutateText)(JSON.stringify(base));
      const response = await gateway.post(body, { apiKey: accounts.keys.plain });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const answer = (await response.json()) as {
        lead_id?: string;
        detail?: string;
        errors?: Array<{ pointer: string; detail: string }>;
      };

      const describe = () =>
        `#${index} ${response.status} ${JSON.stringify(answer).slice(0, 200)} for ${String(body).slice(0, 120)}`;
      if (response.status >= 500) failures.push(`5xx: ${describe()}`);
      else if (response.status === 200 && typeof answer.lead_id !== 'string')
        failures.push(`200 without lead_id: ${describe()}`);
      else if (response.status === 400 && !/not valid JSON: ./.test(answer.detail ?? ''))
        failures.push(`400 without parse error: ${describe()}`);
      else if (
        response.status === 422 &&
        !(
          answer.errors?.length &&
          answer.errors.every((error) => typeof error.pointer === 'string' && error.detail)
        )
      ) {
        failures.push(`422 without field errors: ${describe()}`);
      } else if (![200, 400, 413, 422].includes(response.status))
        failures.push(`unexpected status: ${describe()}`);
    }

    expect(failures).toEqual([]);
    // The corpus exercises every outcome, not just one.
    expect([...statuses.keys()].sort()).toEqual([200, 400, 422]);
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});
