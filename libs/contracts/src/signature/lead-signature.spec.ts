import { generateKeyPairSync } from 'node:crypto';
import { signLead, signedBytesOf, verifyLeadSignature, type SignatureAlgorithm } from './lead-signature';

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
});
