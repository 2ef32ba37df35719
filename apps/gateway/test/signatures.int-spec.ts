import { signLead, type SignatureAlgorithm } from '@lead-delivery/contracts';
import { anEnhancedLead, aStandardLead } from '@lead-delivery/testing';
import { generateKeyPairSync } from 'node:crypto';
import { startGateway, testAccounts, type RunningGateway } from './gateway-fixture';

const accounts = testAccounts();
const { keys } = accounts;

const signers: Array<{
  algorithm: SignatureAlgorithm;
  apiKey: string;
  key: Parameters<typeof signLead>[2];
  wrongKey: Parameters<typeof signLead>[2];
}> = [
  { algorithm: 'hmac-sha256', apiKey: keys.hmac, key: accounts.hmacSecret, wrongKey: 'not-the-secret' },
  {
    algorithm: 'ed25519',
    apiKey: keys.ed25519,
    key: accounts.ed25519.privateKey,
    wrongKey: generateKeyPairSync('ed25519').privateKey,
  },
  {
    algorithm: 'rsa-sha256',
    apiKey: keys.rsa,
    key: accounts.rsa.privateKey,
    wrongKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  },
];

describe('digital_signature verification (real Kafka + PostgreSQL)', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(accounts.file);
  });

  afterAll(async () => {
    await gateway.close();
  });

  const signed = (
    lead: Record<string, unknown>,
    algorithm: SignatureAlgorithm,
    key: Parameters<typeof signLead>[2],
  ) => ({
    ...lead,
    digital_signature: signLead(lead, algorithm, key),
  });

  describe.each(signers)('$algorithm', ({ algorithm, apiKey, key, wrongKey }) => {
    it('accepts a validly signed standard and enhanced lead', async () => {
      for (const lead of [aStandardLead(), anEnhancedLead()]) {
        const response = await gateway.post(signed({ ...lead }, algorithm, key), { apiKey });
        expect(response.status).toBe(200);
      }
    });

    it('accepts the same signature over a re-serialised body (canonical JSON)', async () => {
      const lead = signed({ ...aStandardLead() }, algorithm, key);
      const reordered = Object.fromEntries(Object.entries(lead).reverse());
      const response = await gateway.post(JSON.stringify(reordered, null, 4), { apiKey });
      expect(response.status).toBe(200);
    });

    it('401 for a tampered body', async () => {
      const lead = signed({ ...aStandardLead() }, algorithm, key);
      const response = await gateway.post({ ...lead, message: 'changed after signing' }, { apiKey });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        type: 'urn:lead-delivery:problem:bad-signature',
        errors: [{ pointer: '/digital_signature', detail: 'does not verify' }],
      });
    });

    it('401 for a signature made with the wrong key', async () => {
      const response = await gateway.post(signed({ ...aStandardLead() }, algorithm, wrongKey), { apiKey });
      expect(response.status).toBe(401);
    });

    it('401 when the signature is missing and the account requires one', async () => {
      const response = await gateway.post(aStandardLead(), { apiKey });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ type: 'urn:lead-delivery:problem:missing-signature' });
    });

    it('401 for a signature that is not a string', async () => {
      const response = await gateway.post({ ...aStandardLead(), digital_signature: 12345 }, { apiKey });
      expect(response.status).toBe(401);
    });
  });

  it('accepts a lead signed with a rotated-out HMAC secret still listed for the account', async () => {
    const response = await gateway.post(signed({ ...aStandardLead() }, 'hmac-sha256', 'old-secret'), {
      apiKey: keys.hmac,
    });
    expect(response.status).toBe(200);
  });

  it('optional mode: an unsigned lead passes, a bad signature does not', async () => {
    expect((await gateway.post(aStandardLead(), { apiKey: keys.optional })).status).toBe(200);
    expect(
      (
        await gateway.post(signed({ ...aStandardLead() }, 'hmac-sha256', accounts.hmacSecret), {
          apiKey: keys.optional,
        })
      ).status,
    ).toBe(200);
    expect(
      (await gateway.post({ ...aStandardLead(), digital_signature: 'Zm9yZ2Vk' }, { apiKey: keys.optional }))
        .status,
    ).toBe(401);
  });

  it('off mode: the signature field is ignored', async () => {
    expect(
      (await gateway.post({ ...aStandardLead(), digital_signature: 'anything' }, { apiKey: keys.plain }))
        .status,
    ).toBe(200);
  });
});
