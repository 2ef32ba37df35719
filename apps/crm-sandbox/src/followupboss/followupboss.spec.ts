import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createFollowupbossApp } from './followupboss-standalone';

const KEY = 'fub-key-a';
const SYSTEM = { 'X-System': 'LeadDeliveryPlatform', 'X-System-Key': 'sys-key' };
const auth = (key = KEY) => ({ Authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

describe('crm-sandbox: Follow Up Boss', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await createFollowupbossApp({
      SANDBOX_SEED: '42',
      LOG_LEVEL: 'fatal',
      FOLLOWUPBOSS_ACCOUNTS: `3000001:${KEY},3000002:fub-key-b`,
      FOLLOWUPBOSS_SYSTEMS: 'LeadDeliveryPlatform:sys-key',
      FOLLOWUPBOSS_ARCHIVED_SOURCES: '3000002:Old Portal',
      FOLLOWUPBOSS_POST_EVENTS_LIMIT: '3',
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  afterEach(async () => {
    await fetch(`${url}/sandbox/followupboss`, { method: 'DELETE' });
  });

  const call = async (
    method: string,
    path: string,
    { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...auth(), ...SYSTEM, 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const event = (email: string, extra: Record<string, unknown> = {}) => ({
    source: 'Realtor.com',
    system: 'LeadDeliveryPlatform',
    type: 'Property Inquiry',
    message: 'Is it available?',
    description: 'marker',
    person: { firstName: 'Jo', emails: [{ value: email }], phones: [{ value: '(512) 555-0142' }] },
    property: { street: '1 Main St', mlsNumber: 'M-1' },
    ...extra,
  });

  it('refuses a call without a known API key (Basic user name)', async () => {
    expect((await call('GET', '/v1/people', { headers: auth('nope') })).status).toBe(401);
    const answer = await call('GET', '/v1/people', { headers: { Authorization: '' } });
    expect(answer).toMatchObject({ status: 401, body: { errorMessage: expect.stringMatching(/API key/) } });
  });

  it('creates a person with the first event (201), merges the next by email or phone (200), and lists both', async () => {
    const first = await call('POST', '/v1/events', { body: event('jo@example.com') });
    expect(first).toMatchObject({
      status: 201,
      body: { firstName: 'Jo', emails: [{ value: 'jo@example.com' }] },
    });
    const byPhone = await call('POST', '/v1/events', {
      body: event('other@example.com', {
        type: 'Seller Inquiry',
        person: { phones: [{ value: '+15125550142' }] },
      }),
    });
    expect(byPhone).toMatchObject({ status: 200, body: { id: first.body.id } });
    expect(byPhone.body.emails).toEqual([{ value: 'jo@example.com' }]);

    const people = await call('GET', '/v1/people?email=JO@example.com');
    expect(people.body).toMatchObject({ _metadata: { total: 1 }, people: [{ id: first.body.id }] });
    const events = await call('GET', `/v1/events?personId=${first.body.id}&limit=100`);
    expect(events.body.events.map((stored: { type: string }) => stored.type)).toEqual([
      'Property Inquiry',
      'Seller Inquiry',
    ]);
    expect(events.body.events[0]).toMatchObject({
      description: 'marker',
      system: 'LeadDeliveryPlatform',
      property: { mlsNumber: 'M-1' },
    });
    expect(events.headers.get('x-ratelimit-context')).toBe('events');
    expect(events.headers.get('x-ratelimit-limit')).toBe('20');
  });

  it('deletes a person and its events (200 {}), 404 once gone, only in the key’s own account', async () => {
    const kept = await call('POST', '/v1/events', {
      body: event('kept@example.com', { person: { emails: [{ value: 'kept@example.com' }] } }),
    });
    const erased = await call('POST', '/v1/events', { body: event('jo@example.com') });
    await call('POST', '/v1/events', { body: event('jo@example.com', { type: 'Seller Inquiry' }) });
    const id = erased.body.id;
    expect((await call('DELETE', `/v1/people/${id}`, { headers: auth('fub-key-b') })).status).toBe(404);

    const deleted = await call('DELETE', `/v1/people/${id}`);
    expect(deleted).toMatchObject({ status: 200, body: {} });
    expect(deleted.headers.get('x-ratelimit-context')).toBe('global');
    expect((await call('GET', `/v1/people/${id}`)).status).toBe(404);
    expect((await call('GET', `/v1/events?personId=${id}`)).body._metadata.total).toBe(0);
    expect((await call('GET', '/v1/people')).body.people.map((person: { id: number }) => person.id)).toEqual([
      kept.body.id,
    ]);
    expect((await call('GET', `/v1/events?personId=${kept.body.id}`)).body._metadata.total).toBe(1);
    expect(await call('DELETE', `/v1/people/${id}`)).toMatchObject({
      status: 404,
      body: { errorMessage: `Person ${id} not found` },
    });
    expect((await call('DELETE', `/v1/people/${kept.body.id}`, { headers: auth('nope') })).status).toBe(401);
  });

  it('lists the lead copies of every account: one per event whose description has a marker line', async () => {
    const marker = (leadId: string, account: string) => `Realtor.com lead id: ${leadId} (account ${account})`;
    const post = (description: string, key = KEY) =>
      call('POST', '/v1/events', { body: event('jo@example.com', { description }), headers: auth(key) });
    await post(`Score 80\n${marker('L-1', 'acct-a')}`);
    await post(`Score 80\n${marker('L-1', 'acct-a')}`);
    await post('written by hand');
    await post(marker('L-2', 'acct-b'), 'fub-key-b');

    expect(await call('GET', '/sandbox/followupboss/lead-copies')).toMatchObject({
      status: 200,
      body: [
        { accountId: 'acct-a', leadId: 'L-1' },
        { accountId: 'acct-a', leadId: 'L-1' },
        { accountId: 'acct-b', leadId: 'L-2' },
      ],
    });
  });

  it('rejects an event of an unknown type or without an email or phone (400)', async () => {
    expect(
      (await call('POST', '/v1/events', { body: event('a@example.com', { type: 'Lead' }) })).status,
    ).toBe(400);
    expect((await call('POST', '/v1/events', { body: event('', { person: { emails: [] } }) })).status).toBe(
      400,
    );
  });

  it('refuses (400, the rule’s message) the events a validation rule of the account matches, and only those', async () => {
    const rule = { field: 'person.lastName', pattern: '^Test', message: 'Test leads are not accepted' };
    const set = await fetch(`${url}/sandbox/faults/followupboss?tenant=3000001`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ validationRules: [rule] }),
    });
    expect(set.status).toBe(200);
    const testPerson = { lastName: 'Testperson', emails: [{ value: 'test@example.com' }] };
    const refused = await call('POST', '/v1/events', {
      body: event('test@example.com', { person: testPerson }),
    });
    expect(refused).toMatchObject({ status: 400, body: { errorMessage: 'Test leads are not accepted' } });
    expect((await call('GET', '/v1/people')).body._metadata.total).toBe(0);
    expect((await call('POST', '/v1/events', { body: event('jo@example.com') })).status).toBe(201);
    const otherAccount = await call('POST', '/v1/events', {
      body: event('test@example.com', { person: testPerson }),
      headers: auth('fub-key-b'),
    });
    expect(otherAccount.status).toBe(201);
  });

  it('loses the answers of the endpoint named only, and takes no endpoint of another CRM', async () => {
    const faults = (lostAnswers: unknown) =>
      call('POST', '/sandbox/followupboss/accounts/3000001/faults', { body: { lostAnswers } });
    expect((await faults({ count: 1, endpoint: 'hubspot.contacts.create' })).status).toBe(400);
    expect((await faults({ count: 1, endpoint: 'followupboss.events.create' })).status).toBe(204);
    expect((await call('GET', '/v1/people')).status).toBe(200);
    await expect(call('POST', '/v1/events', { body: event('lost@example.com') })).rejects.toThrow();
    expect((await call('GET', '/v1/people')).body._metadata.total).toBe(1);
  });

  it('answers 204 with no body, storing nothing, for a source whose lead flow the account archived', async () => {
    const keyB = { headers: auth('fub-key-b') };
    const archived = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...auth('fub-key-b'), ...SYSTEM, 'Content-Type': 'application/json' },
      body: JSON.stringify(event('jo@example.com', { source: 'Old Portal' })),
    });
    expect(archived.status).toBe(204);
    expect(await archived.text()).toBe('');
    expect((await call('GET', '/v1/people', keyB)).body._metadata.total).toBe(0);

    await call('PUT', '/sandbox/followupboss/accounts/3000001/archived-sources', {
      body: { sources: ['Realtor.com'] },
    });
    expect((await call('POST', '/v1/events', { body: event('jo@example.com') })).status).toBe(204);
  });

  it('limits each context in a sliding 10 s window, with X-RateLimit-* and a 429 with Retry-After', async () => {
    const answers = [];
    for (let index = 0; index < 4; index++)
      answers.push(await call('POST', '/v1/events', { body: event(`p${index}@example.com`) }));
    expect(answers.map(({ status }) => status)).toEqual([201, 200, 200, 429]); // one phone: merged;
    expect(answers[2]?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(answers[0]?.headers.get('x-ratelimit-context')).toBe('POST.events');
    expect(answers[3]?.headers.get('retry-after')).toMatch(/^(9|10)$/);
    expect(answers[3]?.body).toEqual({ errorMessage: 'Too many requests' });
    // Reads count in their own context; without a registered system the limit is lower.
    const read = await call('GET', '/v1/people', { headers: { 'X-System-Key': 'wrong' } });
    expect(read.status).toBe(200);
    expect(read.headers.get('x-ratelimit-limit')).toBe('125');
    expect(read.headers.get('x-ratelimit-context')).toBe('global');
  });

  it('answers with the faults the admin API starts through the sandbox’s fault injection', async () => {
    await call('POST', '/sandbox/followupboss/accounts/3000001/faults', {
      body: { burst: { count: 1, status: 503, retryAfterSeconds: 2 } },
    });
    const failed = await call('GET', '/v1/people');
    expect(failed).toMatchObject({ status: 503 });
    expect(failed.headers.get('retry-after')).toBe('2');
    expect((await call('GET', '/v1/people')).status).toBe(200);
    await call('POST', '/sandbox/followupboss/accounts/3000001/faults', {
      body: { burst: { count: 1, status: 429 } },
    });
    expect((await call('DELETE', '/v1/people/1')).status).toBe(429);
  });
});
