// Mutations of valid leads (libs/testing's factory): a field of the wrong type, missing, repeated with
// another value, or holding a hostile value; plus unknown fields. Rendered as raw JSON text.
import { aStandardLead, anEnhancedLead } from '@lead-delivery/testing';
import fc from 'fast-check';
import { renderJson, toJsonText, type JsonText } from './json-text';
import { hostileString, hostileValue, rawNumber } from './json-text.arbitrary';

const BASE_TIMESTAMP = '2026-01-15T10:30:00.000Z';

/** Fixed leads, so that a seed always gives the same bodies. */
export const BASE_LEADS = {
  standard: aStandardLead({ lead_id: 'hostile-base-standard', timestamp: BASE_TIMESTAMP }),
  enhanced: anEnhancedLead({ lead_id: 'hostile-base-enhanced', timestamp: BASE_TIMESTAMP }),
};

export type Mutation =
  /** `at` picks a field of the lead (any depth), modulo their number. */
  | { op: 'replace'; at: number; value: JsonText }
  | { op: 'delete'; at: number }
  /** The field again, later in its object, with another value (JSON.parse keeps the later one). */
  | { op: 'repeat'; at: number; value: JsonText }
  | { op: 'add'; at: number; key: string; value: JsonText };

/** Values of the wrong type for any declared field, and hostile ones. */
const wrongValue: fc.Arbitrary<JsonText> = fc.oneof(
  { weight: 3, arbitrary: hostileValue },
  { weight: 2, arbitrary: rawNumber.map((raw) => ({ raw })) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('null', 'true', '0', '""', '[]', '{}', '"  "').map((raw) => ({ raw })),
  },
  { weight: 1, arbitrary: hostileString.map((string) => ({ string })) },
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: wrongValue }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), value: wrongValue }),
  fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: hostileString, value: wrongValue }),
);

type ObjectNode = { object: Array<[string, JsonText]> };

/** Every object member of `root` as (its object, its index), in document order. */
function members(root: JsonText): Array<{ parent: ObjectNode; index: number }> {
  const found: Array<{ parent: ObjectNode; index: number }> = [];
  const pending: JsonText[] = [root];
  while (pending.length > 0) {
    const node = pending.shift() as JsonText;
    if ('object' in node)
      node.object.forEach(([, value], index) => {
        found.push({ parent: node, index });
        pending.push(value);
      });
    else if ('array' in node) pending.push(...node.array);
  }
  return found;
}

/** Applies the mutations to a copy of `lead`'s text tree. */
export function mutateLead(lead: object, mutations: Mutation[]): JsonText {
  const root = toJsonText(lead);
  for (const change of mutations) {
    const candidates = members(root);
    if (candidates.length === 0) break;
    const { parent, index } = candidates[change.at % candidates.length] as {
      parent: ObjectNode;
      index: number;
    };
    const [key] = parent.object[index] as [string, JsonText];
    // A copy: a later mutation may land inside it, and fast-check's values must stay as generated.
    const value = 'value' in change ? structuredClone(change.value) : undefined;
    if (change.op === 'replace') parent.object[index] = [key, value as JsonText];
    else if (change.op === 'delete') parent.object.splice(index, 1);
    else if (change.op === 'repeat') parent.object.push([key, value as JsonText]);
    else parent.object.splice(index, 0, [change.key, value as JsonText]);
  }
  return root;
}

/** A lead's JSON tree (standard or enhanced, its own lead_id) with 1–4 mutations. */
export const mutatedLeadTree: fc.Arbitrary<JsonText> = fc
  .record({
    kind: fc.constantFrom('standard' as const, 'enhanced' as const),
    leadNumber: fc.nat({ max: 9_999 }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  })
  .map(({ kind, leadNumber, mutations }) =>
    mutateLead({ ...BASE_LEADS[kind], lead_id: `hostile-${kind}-${leadNumber}` }, mutations),
  );

/** A mutated lead as the body of a request. */
export const mutatedLeadBody: fc.Arbitrary<string> = mutatedLeadTree.map(renderJson);
