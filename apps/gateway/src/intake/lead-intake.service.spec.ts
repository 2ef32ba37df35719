import { signLead, type SignatureAlgorithm } from '@lead-delivery/contracts';
import type { OutgoingRecord } from '@lead-delivery/messaging';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { Account } from '../accounts/account';
import { GatewayConfig } from '../app.config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { ProblemException } from '../problems/problem.exception';
import type { DurableIntake } from './durable-intake.service';
import { LeadIntakeService } from './lead-intake.service';

const lead = () => ({
  lead_id: 'unit-1',
  contact: { email: 'jane@example.com' },
  timestamp: '2026-11-27T10:15:00Z',
});

const nested = (depth: number, open: string, close: string) => `${open.repeat(depth)}1${close.repeat(depth)}`;

function account(signature: Account['signature'] = { mode: 'off' }): Account {
  return {
    id: 'acct',
    enabled: true,
    apiKeyHashes: [],
    rateLimit: { requestsPerSecond: 1, burst: 1 },
    signature,
  };
}

function intakeService(settings: Partial<GatewayConfig> = {}) {
  const stored: OutgoingRecord[] = [];
  const durable = {
    store: async (record: OutgoingRecord) => {
      stored.push(record);
      return 'kafka' as const;
    },
  } as unknown as DurableIntake;
  const config = Object.assign(new GatewayConfig(), settings);
  const logger = { info: () => undefined } as unknown as Logger;
  return {
    service: new LeadIntakeService(durable, config, new GatewayMetrics(new Registry()), logger),
    stored,
  };
}

async function problemOf(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ProblemException)) throw new Error(`expected a problem, got ${String(error)}`);
  return error.problem;
}

const body = (text: string) => Buffer.from(text, 'utf8');

describe('LeadIntakeService: bounded input', () => {
  it('refuses JSON nested deeper than MAX_JSON_DEPTH with 422 naming the pointer, before parsing', async () => {
    const { service, stored } = intakeService({ MAX_JSON_DEPTH: 32 });
    const text = JSON.stringify(lead()).replace(/}$/, `,"message":${nested(2_000, '[', ']')}}`);
    const problem = await problemOf(service.intake(account(), body(text)));
    expect(problem).toMatchObject({
      status: 422,
      type: 'urn:lead-delivery:problem:json-too-deep',
      errors: [{ pointer: `/message${'/0'.repeat(31)}` }],
    });
    expect(stored).toEqual([]);
  });

  it('accepts a body at the depth limit', async () => {
    const { service, stored } = intakeService({ MAX_JSON_DEPTH: 4 });
    const accepted = await service.intake(
      account(),
      body(JSON.stringify({ ...lead(), extra: { a: { b: 1 } } })),
    );
    expect(accepted.accepted.status).toBe('accepted');
    expect(stored).toHaveLength(1);
  });

  it('refuses a lead whose record would exceed MAX_RECORD_BYTES with 413 naming the largest field', async () => {
    const { service, stored } = intakeService({ MAX_RECORD_BYTES: 16 * 1024 });
    const text = JSON.stringify({ ...lead(), message: 'x'.repeat(10_000), notes: 'y'.repeat(100) });
    const problem = await problemOf(service.intake(account(), body(text)));
    expect(problem).toMatchObject({
      status: 413,
      type: 'urn:lead-delivery:problem:record-too-large',
      errors: [{ pointer: '/message', detail: expect.stringMatching(/largest field \(10002 bytes\)/) }],
    });
    expect(stored).toEqual([]);
  });

  it('keeps a 64 KiB body of tiny unknown fields within the record limit: one warning for them all', async () => {
    const { service, stored } = intakeService();
    const unknown = Object.fromEntries(Array.from({ length: 6_500 }, (_, index) => [`u${index}`, 0]));
    const text = JSON.stringify({ ...lead(), ...unknown });
    expect(text.length).toBeGreaterThan(60_000);
    const { accepted } = await service.intake(account(), body(text));
    expect(accepted.warnings).toHaveLength(1);
    expect(Buffer.byteLength(stored[0]?.value ?? '')).toBeLessThan(2 * text.length);
  });
});

describe('LeadIntakeService: signatures never fail past the intake', () => {
  const ed25519 = generateKeyPairSync('ed25519');
  const accounts: Array<[SignatureAlgorithm, string | KeyObject, string | KeyObject]> = [
    ['hmac-sha256', 'secret', 'secret'],
    ['ed25519', ed25519.privateKey, ed25519.publicKey],
  ];

  describe.each(accounts)('%s account', (algorithm, signWith, verifyWith) => {
    const signed = account({ mode: 'required', algorithm, keys: [verifyWith] });
    const signature = signLead(lead(), algorithm, signWith);

    it('answers 422 naming a number outside the double range (1e400)', async () => {
      const { service } = intakeService();
      const text = JSON.stringify({ ...lead(), digital_signature: signature }).replace(
        /}$/,
        ',"property":{"list_price":1e400}}',
      );
      const problem = await problemOf(service.intake(signed, body(text)));
      expect(problem).toMatchObject({
        status: 422,
        type: 'urn:lead-delivery:problem:uncanonicalizable-body',
        errors: [{ pointer: '/property/list_price', detail: expect.stringMatching(/outside the range/) }],
      });
    });

    it('answers 422 for an unknown field nested 3,000 deep, before canonicalising', async () => {
      const { service } = intakeService();
      const text = JSON.stringify({ ...lead(), digital_signature: signature }).replace(
        /}$/,
        `,"extra":${nested(3_000, '{"a":', '}')}}`,
      );
      const problem = await problemOf(service.intake(signed, body(text)));
      expect(problem).toMatchObject({ status: 422, type: 'urn:lead-delivery:problem:json-too-deep' });
    });

    it('still accepts a correctly signed lead', async () => {
      const { service } = intakeService();
      const text = JSON.stringify({ ...lead(), digital_signature: signature });
      expect((await service.intake(signed, body(text))).accepted.lead_id).toBe('unit-1');
    });
  });
});
