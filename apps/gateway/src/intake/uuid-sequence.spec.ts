import { UuidSequence } from './uuid-sequence';

describe('UuidSequence', () => {
  it('gives distinct version-4 UUIDs that share a random prefix within a sequence', () => {
    const sequence = new UuidSequence();
    const ids = Array.from({ length: 1_000 }, () => sequence.next());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 24))).size).toBe(1);
  });

  it('starts each sequence from a different random prefix', () => {
    expect(new UuidSequence().next().slice(0, 24)).not.toBe(new UuidSequence().next().slice(0, 24));
  });
});
