import { OperatorTokenStore, operatorTokenProblems, sha256Of } from './operator-tokens';
import { PUBLISHED_OPERATOR_TOKEN_HASHES } from './published-operator-tokens';

const hex = (token: string) => sha256Of(token).toString('hex');

describe('OperatorTokenStore', () => {
  const store = new OperatorTokenStore([
    { name: 'alice', sha256: hex('alice-old-token-0123456789'), scopes: ['read'] },
    { name: 'alice', sha256: hex('alice-new-token-0123456789'), scopes: ['read', 'erase'] },
    { name: 'bob', sha256: hex('bob-token-0123456789abcdef'), scopes: ['read'] },
  ]);

  it('knows every token of a name during a rotation, each with its own scopes', () => {
    expect(store.authenticate('alice-old-token-0123456789')).toEqual({
      name: 'alice',
      scopes: new Set(['read']),
    });
    expect(store.authenticate('alice-new-token-0123456789')).toEqual({
      name: 'alice',
      scopes: new Set(['read', 'erase']),
    });
    expect(store.authenticate('bob-token-0123456789abcdef')?.name).toBe('bob');
  });

  it('knows no other token, whatever its length', () => {
    for (const token of [
      '',
      'x',
      'alice-old-token-012345678',
      'alice-old-token-0123456789 ',
      'a'.repeat(10_000),
    ]) {
      expect(store.authenticate(token)).toBeUndefined();
    }
  });

  it('tells whether it holds a published token', () => {
    expect(store.includesAny(PUBLISHED_OPERATOR_TOKEN_HASHES)).toBe(false);
    expect(
      new OperatorTokenStore([
        { name: 'local', sha256: hex('local-operator-token-change-me'), scopes: ['read'] },
      ]).includesAny(PUBLISHED_OPERATOR_TOKEN_HASHES),
    ).toBe(true);
  });
});

describe('operatorTokenProblems', () => {
  const valid = { name: 'ops', sha256: 'a'.repeat(64), scopes: ['read', 'erase'] };

  it('accepts named entries with a SHA-256 and known scopes', () => {
    expect(operatorTokenProblems([valid, { ...valid, sha256: 'b'.repeat(64), scopes: ['read'] }])).toEqual(
      [],
    );
  });

  it('reports every problem with the entry it is about, never a hash', () => {
    const problems = operatorTokenProblems([
      { name: 'Ops Team', sha256: 'not-hex', scopes: [] },
      { ...valid, scopes: ['admin'], token: 'plain' },
      valid,
      valid,
    ]);
    expect(problems).toEqual([
      '[0].name must be a lowercase name (a-z, 0-9, . _ @ -)',
      "[0].sha256 must be the token's SHA-256 in 64 lowercase hex digits",
      '[0].scopes must be a non-empty list of read, erase, replay, pii',
      '[1] has unknown members: token',
      '[1].scopes must be a non-empty list of read, erase, replay, pii',
      '[2].sha256 is listed twice',
      '[3].sha256 is listed twice',
    ]);
    expect(problems.join()).not.toContain('a'.repeat(64));
  });

  it('wants a non-empty array', () => {
    expect(operatorTokenProblems('[{"name"')).toEqual([
      'must be a non-empty JSON array of {"name", "sha256", "scopes"}',
    ]);
    expect(operatorTokenProblems([])).toHaveLength(1);
  });
});
