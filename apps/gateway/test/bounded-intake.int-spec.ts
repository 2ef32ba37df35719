import { LEAD_RECEIVED_V1, signLead, type LeadReceivedV1 } from '@lead-delivery/contracts';
import { TopicRecorder, aStandardLead, expectEventually, testKafka } from '@lead-delivery/testing';
import { startGateway, testAccounts, type RunningGateway } from './gateway-fixture';

const accounts = testAccounts();
const { keys } = accounts;
const MAX_RECORD_BYTES = 512 * 1024;

interface Problem {
  type: string;
  status: number;
  errors?: Array<{ pointer: string; detail: string }>;
}

/** `{"a":{"a":...value...}}`, `depth` objects deep, as raw JSON text. */
const nestedObjects = (depth: number, value: string) =>
  `${'{"a":'.repeat(depth)}${value}${'}'.repeat(depth)}`;
const nestedArrays = (depth: number) => `${'['.repeat(depth)}"hi"${']'.repeat(depth)}`;
/** A lead's JSON text with one more field, given as raw JSON text. */
const withRawField = (lead: object, name: string, rawValue: string) =>
  JSON.stringify(lead).replace(/}$/, `,${JSON.stringify(name)}:${rawValue}}`);

describe('bounded intake: hostile bodies get a 4xx problem naming the field, never a 5xx (real Kafka + PostgreSQL)', () => {
  let gateway: RunningGateway;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    gateway = await startGateway(accounts.file, {
      MAX_JSON_DEPTH: '32',
      MAX_RECORD_BYTES: String(MAX_RECORD_BYTES),
    });
    recorder = await new TopicRecorder(testKafka('bounded-intake')).start(LEAD_RECEIVED_V1.topic);
  });

  afterAll(async () => {
    await recorder.stop();
    await gateway.close();
  });

  const problemOf = async (response: Response) => {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return (await response.json()) as Problem;
  };
  const tooDeepUnder = (pointer: string) => new RegExp(`^${pointer}(/a)+$`);

  it('a 15 KB lead with an unknown field 3,000 objects deep holding a control character: 422 json-too-deep', async () => {
    const lead = aStandardLead({ message: 'm'.repeat(9_000) });
    const body = withRawField(lead, 'tracking', nestedObjects(3_000, '"\\u0000"'));
    expect(body.length).toBeGreaterThan(15_000);
    const response = await gateway.post(body, { apiKey: keys.plain });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.type).toBe('urn:lead-delivery:problem:json-too-deep');
    expect(problem.errors?.[0]?.pointer).toMatch(tooDeepUnder('/tracking'));
    expect(problem.errors?.[0]?.pointer.split('/')).toHaveLength(33);
  });

  it('the declared field `message` as arrays nested 2,000 deep: 422 naming /message/0/...', async () => {
    const response = await gateway.post(withRawField(aStandardLead(), 'message', nestedArrays(2_000)), {
      apiKey: keys.plain,
    });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ type: 'urn:lead-delivery:problem:json-too-deep' });
    expect(problem.errors?.[0]?.pointer).toBe(`/message${'/0'.repeat(31)}`);
  });

  it('an unknown field nested 4,200 deep: 422', async () => {
    const response = await gateway.post(withRawField(aStandardLead(), 'x', nestedObjects(4_200, '1')), {
      apiKey: keys.plain,
    });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.[0]?.pointer).toMatch(tooDeepUnder('/x'));
  });

  it.each([
    ['HMAC', 'hmac' as const],
    ['Ed25519', 'ed25519' as const],
  ])('on an %s account, 1e400 anywhere in the body: 422 naming the number', async (_name, account) => {
    const lead: Record<string, unknown> = { ...aStandardLead() };
    const signature =
      account === 'hmac'
        ? signLead(lead, 'hmac-sha256', accounts.hmacSecret)
        : signLead(lead, 'ed25519', accounts.ed25519.privateKey);
    const body = withRawField({ ...lead, digital_signature: signature }, 'huge', '[1, 1e400]');
    const response = await gateway.post(body, { apiKey: keys[account] });
    expect(response.status).toBe(422);
    expect(await problemOf(response)).toMatchObject({
      type: 'urn:lead-delivery:problem:uncanonicalizable-body',
      errors: [
        { pointer: '/huge/1', detail: expect.stringMatching(/outside the range of IEEE 754 doubles/) },
      ],
    });
  });

  it('on an HMAC account, an unknown field nested 3,000 deep: 422 before any canonicalisation', async () => {
    const lead: Record<string, unknown> = { ...aStandardLead() };
    const body = withRawField(
      { ...lead, digital_signature: signLead(lead, 'hmac-sha256', accounts.hmacSecret) },
      'x',
      nestedObjects(3_000, '1'),
    );
    const response = await gateway.post(body, { apiKey: keys.hmac });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).type).toBe('urn:lead-delivery:problem:json-too-deep');
  });

  it('a 64 KiB body of tiny unknown fields is accepted with one warning, and its record stays within bounds', async () => {
    const lead = aStandardLead();
    const unknown = Object.fromEntries(Array.from({ length: 6_500 }, (_, index) => [`u${index}`, 0]));
    const body = JSON.stringify({ ...lead, ...unknown });
    expect(body.length).toBeGreaterThan(60 * 1024);
    expect(body.length).toBeLessThan(64 * 1024);
    const response = await gateway.post(body, { apiKey: keys.plain });
    expect(response.status).toBe(200);
    // Kafka directly, or the outbox when the broker's ack is slower than the gateway waits (a loaded CI
    // machine): the record below reaches the topic either way.
    expect(['kafka', 'outbox']).toContain(response.headers.get('x-lead-durable-in'));
    const { warnings } = (await response.json()) as { warnings: Array<{ pointer: string; detail: string }> };
    expect(warnings).toEqual([
      { pointer: '', action: 'ignored', detail: expect.stringMatching(/^6500 fields .* and 6480 more$/) },
    ]);
    await expectEventually(() => expect(recorder.withKey(lead.lead_id)).toHaveLength(1));
    const stored = recorder.withKey(lead.lead_id)[0]?.value ?? '';
    expect(Buffer.byteLength(stored)).toBeLessThan(MAX_RECORD_BYTES);
    expect((JSON.parse(stored) as LeadReceivedV1).raw).toEqual({ ...lead, ...unknown });
  });

  it('lenient mode sets aside an optional object that is not an object, and keeps the lead', async () => {
    const lead = { ...aStandardLead(), property: '1 Main St', finance_info: [1] };
    const response = await gateway.post(lead, { apiKey: keys.plain });
    expect(response.status).toBe(200);
    const { warnings } = (await response.json()) as { warnings: Array<{ pointer: string; action: string }> };
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/property', action: 'dropped' }),
        expect.objectContaining({ pointer: '/finance_info', action: 'dropped' }),
      ]),
    );
  });
});

describe('bounded intake: strict mode and the record size limit', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway(accounts.file, {
      VALIDATION_MODE: 'strict',
      MAX_RECORD_BYTES: String(64 * 1024),
    });
  });

  afterAll(() => gateway.close());

  it('strict mode answers 422 naming an optional object that is not an object', async () => {
    const response = await gateway.post({ ...aStandardLead(), listing_agent: 'Jo' }, { apiKey: keys.plain });
    expect(response.status).toBe(422);
    expect(((await response.json()) as Problem).errors).toContainEqual({
      pointer: '/listing_agent',
      detail: expect.stringMatching(/object/),
    });
  });

  it('answers 413 record-too-large naming the largest field when lead + raw body exceed MAX_RECORD_BYTES', async () => {
    const response = await gateway.post(aStandardLead({ message: 'x'.repeat(40_000) }), {
      apiKey: keys.plain,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      type: 'urn:lead-delivery:problem:record-too-large',
      errors: [{ pointer: '/message' }],
    });
  });
});
