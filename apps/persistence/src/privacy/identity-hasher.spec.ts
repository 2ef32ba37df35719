import { createHmac } from 'node:crypto';
import { IdentityHasher } from './identity-hasher';

const KEY = 'erasure-hash-key-0123456789abcdef0123';

describe('IdentityHasher', () => {
  const hasher = new IdentityHasher(KEY);

  it('is the HMAC-SHA256 of the kind and the value under the key, in hex', () => {
    expect(hasher.email('jane@example.com')).toBe(
      createHmac('sha256', KEY).update('email:jane@example.com').digest('hex'),
    );
    expect(hasher.phone('+15125550142')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is stable for one key and differs between keys, kinds and values', () => {
    expect(hasher.email('jane@example.com')).toBe(new IdentityHasher(KEY).email('jane@example.com'));
    expect(hasher.email('jane@example.com')).not.toBe(
      new IdentityHasher(`${KEY}x`).email('jane@example.com'),
    );
    expect(hasher.email('+15125550142')).not.toBe(hasher.phone('+15125550142'));
    expect(hasher.email('jane@example.com')).not.toBe(hasher.email('john@example.com'));
  });

  it('never contains the identity', () => {
    expect(hasher.email('jane@example.com')).not.toContain('jane');
  });
});
