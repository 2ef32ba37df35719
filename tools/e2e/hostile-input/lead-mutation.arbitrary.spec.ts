import fc from 'fast-check';
import { renderJson } from './json-text';
import { BASE_LEADS, mutateLead, mutatedLeadTree } from './lead-mutation.arbitrary';

describe('lead mutations', () => {
  it('replace, delete, repeat and add fields of a factory lead', () => {
    const lead = { lead_id: 'l-1', contact: { email: 'a@example.com' } };
    const text = (mutations: Parameters<typeof mutateLead>[1]) => renderJson(mutateLead(lead, mutations));
    expect(text([{ op: 'replace', at: 0, value: { raw: '1e400' } }])).toBe(
      '{"lead_id":1e400,"contact":{"email":"a@example.com"}}',
    );
    expect(text([{ op: 'delete', at: 2 }])).toBe('{"lead_id":"l-1","contact":{}}');
    expect(text([{ op: 'repeat', at: 0, value: { raw: '7' } }])).toBe(
      '{"lead_id":"l-1","contact":{"email":"a@example.com"},"lead_id":7}',
    );
    expect(text([{ op: 'add', at: 1, key: '__proto__', value: { raw: 'null' } }])).toBe(
      '{"lead_id":"l-1","__proto__":null,"contact":{"email":"a@example.com"}}',
    );
  });

  it('never change the values fast-check generated (shrinking reuses them)', () => {
    fc.assert(
      fc.property(mutatedLeadTree, (tree) => {
        const before = JSON.stringify(tree);
        renderJson(tree);
        expect(JSON.stringify(tree)).toBe(before);
      }),
      { numRuns: 100 },
    );
    const inserted = { object: [['x', { raw: '1' }]] as Array<[string, { raw: string }]> };
    // Members in document order: k, a, then k's own x, which the second mutation deletes.
    const mutated = mutateLead({ a: 1 }, [
      { op: 'add', at: 0, key: 'k', value: inserted },
      { op: 'delete', at: 2 },
    ]);
    expect(renderJson(mutated)).toBe('{"k":{},"a":1}');
    expect(inserted.object).toHaveLength(1);
  });

  it('start from leads the gateway accepts', () => {
    for (const lead of Object.values(BASE_LEADS))
      expect(JSON.parse(renderJson(mutateLead(lead, [])))).toEqual(lead);
  });
});
