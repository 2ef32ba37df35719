import { generateKeyPairSync } from 'node:crypto';
import {
  UncanonicalizableBodyError,
  publicKeyMismatch,
  signLead,
  signedBytesOf,
  verifyLeadSignature,
  type SignatureAlgorithm,
} from './lead-signature';

const body = {
  lead_id: 'sig-1',
  contact: { email: 'jane@example.com', first_name: 'Zoë' },
  timestamp: '2026-11-27T10:15:00Z',
  property: { list_price: 450000.0, beds: 3 },
};

const ed25519 = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys: Record<
  SignatureAlgorithm,
  {
    signWith: Parameters<typeof signLead>[2];
    verifyWith: Parameters<typeof verifyLeadSignature>[3][number];
    wrong: Parameters<typeof verifyLeadSignature>[3][number];
  }
> = {
  'hmac-sha256': { signWith: 'shared-secret', verifyWith: 'shared-secret', wrong: 'another-secret' },
  ed25519: {
    signWith: ed25519.privateKey,
    verifyWith: ed25519.publicKey,
    wrong: generateKeyPairSync('ed25519').publicKey,
  },
  'rsa-sha256': {
    signWith: rsa.privateKey,
    verifyWith: rsa.publicKey,
    wrong: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
  },
};

describe('lead signatures', () => {
  it('signs the RFC 8785 canonical form: key order, whitespace and number spelling do not matter', () => {
    const reordered = JSON.parse(
      '{ "timestamp":"2026-11-27T10:15:00Z", "property":{"beds":3,"list_price":4.5e5}, "contact":{"first_name":"Zo\\u00eb","email":"jane@example.com"}, "lead_id":"sig-1" }',
    );
    expect(signedBytesOf(reordered).equals(signedBytesOf(body))).toBe(true);
    expect(signedBytesOf({ ...body, digital_signature: 'x' }).toString()).toBe(
      signedBytesOf(body).toString(),
    );
  });

  describe.each(Object.keys(keys) as SignatureAlgorithm[])('%s', (algorithm) => {
    const { signWith, verifyWith, wrong } = keys[algorithm];
    const signature = signLead(body, algorithm, signWith);

    it('verifies a valid signature, also carried inside the body', () => {
      expect(
        verifyLeadSignature({ ...body, digital_signature: signature }, signature, algorithm, [verifyWith]),
      ).toBe(true);
    });

    it('accepts base64url as well as base64', () => {
      const url = Buffer.from(signature, 'base64').toString('base64url');
      expect(verifyLeadSignature(body, url, algorithm, [verifyWith])).toBe(true);
    });

    it('rejects a tampered body', () => {
      expect(verifyLeadSignature({ ...body, lead_id: 'sig-2' }, signature, algorithm, [verifyWith])).toBe(
        false,
      );
    });

    it('rejects the wrong key, and accepts when any rotated key matches', () => {
      expect(verifyLeadSignature(body, signature, algorithm, [wrong])).toBe(false);
      expect(verifyLeadSignature(body, signature, algorithm, [wrong, verifyWith])).toBe(true);
    });

    it('rejects garbage signatures', () => {
      expect(verifyLeadSignature(body, '', algorithm, [verifyWith])).toBe(false);
      expect(verifyLeadSignature(body, 'bm90IGEgc2lnbmF0dXJl', algorithm, [verifyWith])).toBe(false);
    });
  });

  describe.each(Object.keys(keys) as SignatureAlgorithm[])(
    '%s: bodies without a canonical form',
    (algorithm) => {
      const { verifyWith } = keys[algorithm];
      const signature = signLead(body, algorithm, keys[algorithm].signWith);
      const refusal = (candidate: Record<string, unknown>) => {
        try {
          verifyLeadSignature(candidate, signature, algorithm, [verifyWith]);
        } catch (error) {
          return error;
        }
        return undefined;
      };

      it('names a number outside the double range (1e400) instead of failing inside canonicalize', () => {
        const parsed = JSON.parse('{"lead_id":"x","property":{"list_price":1e400},"extra":[1,-1e400]}');
        const error = refusal(parsed);
        expect(error).toBeInstanceOf(UncanonicalizableBodyError);
        expect(['/property/list_price', '/extra/1']).toContain((error as UncanonicalizableBodyError).pointer);
      });

      it('refuses a body nested too deeply to serialise with a typed error, not a stack overflow', () => {
        let deep: unknown = 1;
        for (let level = 0; level < 50_000; level++) deep = { a: deep };
        const error = refusal({ lead_id: 'x', extra: deep });
        expect(error).toBeInstanceOf(UncanonicalizableBodyError);
        expect((error as UncanonicalizableBodyError).reason).toMatch(/nested too deeply/);
      });
    },
  );

  describe('publicKeyMismatch', () => {
    it('accepts the key type of each algorithm', () => {
      expect(publicKeyMismatch('ed25519', ed25519.publicKey)).toBeUndefined();
      expect(publicKeyMismatch('rsa-sha256', rsa.publicKey)).toBeUndefined();
    });

    it('explains a key of another type, a private key, and a public key on an HMAC account', () => {
      expect(publicKeyMismatch('ed25519', rsa.publicKey)).toBe(
        'has key type rsa; ed25519 needs key type ed25519',
      );
      expect(publicKeyMismatch('rsa-sha256', ed25519.publicKey)).toMatch(/rsa-sha256 needs key type rsa/);
      expect(publicKeyMismatch('ed25519', ed25519.privateKey)).toMatch(/must be a public key/);
      expect(publicKeyMismatch('hmac-sha256', ed25519.publicKey)).toMatch(/shared secrets/);
    });
  });
});
