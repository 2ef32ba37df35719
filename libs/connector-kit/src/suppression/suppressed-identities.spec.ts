import { identityHash } from '@lead-delivery/contracts';
import { anEnrichedLead } from '@lead-delivery/testing';
import { SuppressedIdentities } from './suppressed-identities';

const KEY = 'unit-erasure-hash-key-0123456789abcdef';
const NOW = Date.parse('2026-12-05T12:00:00Z');

describe('SuppressedIdentities', () => {
  const lead = anEnrichedLead('acct-1');
  const email = lead.enrichment.normalized.email as string;
  const suppression = (overrides: object = {}) => ({
    identity_hash: identityHash(KEY, 'email', email),
    kind: 'email' as const,
    account_id: 'acct-1',
    erasure_id: 'e-1',
    suppressed_until: '2027-01-01T00:00:00Z',
    ...overrides,
  });

  it('covers a lead of the account whose normalised email hashes to a suppressed identity', () => {
    const identities = new SuppressedIdentities(KEY, () => NOW);
    expect(identities.covers(lead)).toBe(false);
    identities.add(suppression());
    expect(identities.covers(lead)).toBe(true);
    expect(identities.covers(anEnrichedLead('acct-2', { email }))).toBe(false);
  });

  it('covers every account for an erasure of all accounts, and by E.164 phone', () => {
    const identities = new SuppressedIdentities(KEY, () => NOW);
    const phone = lead.enrichment.normalized.phone_e164 as string;
    identities.add(
      suppression({ identity_hash: identityHash(KEY, 'phone', phone), kind: 'phone', account_id: null }),
    );
    expect(identities.covers(anEnrichedLead('acct-9', { email: 'someone-else@example.com' }))).toBe(true);
  });

  it('stops covering once the suppression has run out, and ignores another key', () => {
    const expired = new SuppressedIdentities(KEY, () => Date.parse('2027-02-01T00:00:00Z'));
    expired.add(suppression());
    expect(expired.covers(lead)).toBe(false);
    const otherKey = new SuppressedIdentities('another-erasure-hash-key-0123456789', () => NOW);
    otherKey.add(suppression());
    expect(otherKey.covers(lead)).toBe(false);
  });

  it('keeps no suppression that has run out, neither read late nor run out since', () => {
    let now = NOW;
    const identities = new SuppressedIdentities(KEY, () => now);
    identities.add(suppression({ suppressed_until: '2026-12-01T00:00:00Z' }));
    expect(identities.size).toBe(0);

    const hashes = Array.from({ length: 1_024 }, (_, index) => `hash-${index}`);
    hashes.forEach((hash) =>
      identities.add(suppression({ identity_hash: hash, suppressed_until: '2026-12-06T00:00:00Z' })),
    );
    now = Date.parse('2026-12-07T00:00:00Z');
    hashes.forEach((hash) => identities.add(suppression({ identity_hash: `${hash}-later` })));
    expect(identities.size).toBeLessThanOrEqual(1_024);
    expect(identities.covers(lead)).toBe(false);
    identities.add(suppression());
    expect(identities.covers(lead)).toBe(true);
  });
});
