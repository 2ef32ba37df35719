import { HEADERS, LEAD_RECEIVED_V1, type LeadReceivedV1 } from '@lead-delivery/contracts';
import {
  TopicRecorder,
  aStandardLead,
  anEnhancedLead,
  expectEventually,
  testKafka,
  uniqueLeadId,
} from '@lead-delivery/testing';
import type { Kafka } from 'kafkajs';
import { request as httpRequest, type Server } from 'node:http';
import { startGateway, testAccounts, type RunningGateway } from './gateway-fixture';

const accounts = testAccounts();
const { keys } = accounts;

describe.each(['fastify', 'express'] as const)(
  'POST /lead-delivery (%s adapter, real Kafka + PostgreSQL)',
  (adapter) => {
    let gateway: RunningGateway;
    let kafka: Kafka;
    let recorder: TopicRecorder;

    beforeAll(async () => {
      gateway = await startGateway(accounts.file, { HTTP_ADAPTER: adapter });
      kafka = testKafka('gateway-int');
      recorder = await new TopicRecorder(kafka).start(LEAD_RECEIVED_V1.topic);
    });

    afterAll(async () => {
      await recorder.stop();
      await gateway.close();
    });

    const problemOf = async (response: Response) => {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      return (await response.json()) as {
        type: string;
        title: string;
        status: number;
        detail: string;
        errors?: Array<{ pointer: string; detail: string }>;
      };
    };

    it('accepts a valid lead only once Kafka has it: 200, key, CloudEvents and account headers, value', async () => {
      const lead = anEnhancedLead();
      const response = await gateway.post(lead, {
        apiKey: keys.plain,
        headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-lead-durable-in')).toBe('kafka');
      expect(await response.json()).toEqual({
        status: 'accepted',
        lead_id: lead.lead_id,
        kind: 'enhanced',
        warnings: [],
      });

      // Acknowledged means already on the topic.
      const [record] = await expectEventually(() => {
        expect(recorder.withKey(lead.lead_id)).toHaveLength(1);
        return recorder.withKey(lead.lead_id);
      });
      expect(record?.headers).toMatchObject({
        [HEADERS.ceSpecVersion]: '1.0',
        [HEADERS.ceType]: LEAD_RECEIVED_V1.type,
        [HEADERS.ceSource]: '/gateway',
        [HEADERS.ceSubject]: lead.lead_id,
        [HEADERS.contentType]: 'application/json',
        [HEADERS.accountId]: 'acct-plain',
        [HEADERS.leadKind]: 'enhanced',
      });
      expect(record?.headers[HEADERS.traceparent]).toMatch(
        /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/,
      );
      const value = JSON.parse(record?.value ?? '') as LeadReceivedV1;
      expect(value).toEqual({ ...lead, warnings: [], raw: lead });
    });

    it('accepts a standard lead with lenient warnings in the 200 body and on the event, keeping the raw body', async () => {
      const lead = { ...aStandardLead(), property: { zip_code: 78704, baths: 2.5 }, utm_source: 'email' };
      const response = await gateway.post(lead, { apiKey: keys.plainRotated });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        kind: string;
        warnings: Array<{ pointer: string; action: string }>;
      };
      expect(body.kind).toBe('standard');
      expect(body.warnings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ pointer: '/property/zip_code', action: 'coerced' }),
          expect.objectContaining({ pointer: '/property/baths', action: 'dropped' }),
          expect.objectContaining({ pointer: '/utm_source', action: 'ignored' }),
        ]),
      );
      const [record] = await expectEventually(() => {
        expect(recorder.withKey(lead.lead_id)).toHaveLength(1);
        return recorder.withKey(lead.lead_id);
      });
      const value = JSON.parse(record?.value ?? '') as LeadReceivedV1 & { utm_source?: string };
      expect(value.property).toEqual({ zip_code: '78704' });
      expect(value.utm_source).toBeUndefined();
      expect(value.warnings).toHaveLength(3);
      expect(value.raw).toEqual(lead);
    });

    it('answers 200 again for the same lead_id (downstream is idempotent)', async () => {
      const lead = aStandardLead();
      expect((await gateway.post(lead, { apiKey: keys.plain })).status).toBe(200);
      expect((await gateway.post(lead, { apiKey: keys.plain })).status).toBe(200);
      await expectEventually(() => expect(recorder.withKey(lead.lead_id)).toHaveLength(2));
    });

    it('401 without an API key and with an unknown one, 403 for a disabled account', async () => {
      const lead = aStandardLead();
      const missing = await gateway.post(lead);
      expect(missing.status).toBe(401);
      expect((await problemOf(missing)).type).toBe('urn:lead-delivery:problem:missing-api-key');
      const unknown = await gateway.post(lead, { apiKey: 'not-a-key' });
      expect(unknown.status).toBe(401);
      expect((await problemOf(unknown)).type).toBe('urn:lead-delivery:problem:unknown-api-key');
      const disabled = await gateway.post(lead, { apiKey: keys.disabled });
      expect(disabled.status).toBe(403);
      expect((await problemOf(disabled)).title).toBe('Account disabled');
    });

    it('400 for malformed JSON, naming the parse error', async () => {
      const response = await gateway.post('{"lead_id": "x", ', { apiKey: keys.plain });
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.type).toBe('urn:lead-delivery:problem:malformed-json');
      expect(problem.detail).toMatch(/not valid JSON: .+/);
    });

    it('422 listing every field error with a JSON pointer (an optional object that is not one is only set aside)', async () => {
      const response = await gateway.post(
        { lead_id: '', contact: { email: 'nope' }, property: 'x' },
        { apiKey: keys.plain },
      );
      expect(response.status).toBe(422);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({
        type: 'urn:lead-delivery:problem:invalid-lead',
        status: 422,
        title: 'Invalid lead',
      });
      expect(problem.errors?.map((error) => error.pointer).sort()).toEqual([
        '/contact/email',
        '/lead_id',
        '/timestamp',
      ]);
      expect(problem.errors?.every((error) => error.detail.length > 0)).toBe(true);
    });

    it('422 for a JSON body that is not an object', async () => {
      const response = await gateway.post('[1, 2]', { apiKey: keys.plain });
      expect(response.status).toBe(422);
      expect((await problemOf(response)).errors).toEqual([{ pointer: '', detail: 'must be a JSON object' }]);
    });

    it('413 above the body limit', async () => {
      const lead = { ...aStandardLead(), message: 'x'.repeat(70 * 1024) };
      const response = await gateway.post(lead, { apiKey: keys.plain });
      expect(response.status).toBe(413);
      expect((await problemOf(response)).detail).toMatch(/65536 bytes/);
    });

    it('415 for a body that is not JSON', async () => {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const response = await gateway.post('lead_id=1', { apiKey: keys.plain, contentType });
        expect(response.status).toBe(415);
        expect((await problemOf(response)).detail).toContain(contentType);
      }
      expect(
        (
          await gateway.post(aStandardLead(), {
            apiKey: keys.plain,
            contentType: 'application/json; charset=utf-8',
          })
        ).status,
      ).toBe(200);
    });

    it('429 with Retry-After past the account rate limit', async () => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 4; i++) {
        const response = await gateway.post(aStandardLead(), { apiKey: keys.limited });
        statuses.push(response.status);
        if (response.status === 429) {
          retryAfter = response.headers.get('retry-after');
          expect((await problemOf(response)).type).toBe('urn:lead-delivery:problem:rate-limited');
        }
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses.slice(2)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    });

    it('answers unknown routes with a problem, not a crash', async () => {
      const response = await fetch(`${gateway.url}/nowhere`);
      expect(response.status).toBe(404);
      expect((await problemOf(response)).status).toBe(404);
    });

    it('reports health, readiness with both durable paths, and metrics', async () => {
      expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${gateway.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        info: { durable_intake: { status: 'up', kafka: 'up', outbox: 'up' } },
      });
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(
        /lead_intake_total\{kind="enhanced",outcome="accepted_kafka",service="gateway"\} [1-9]/,
      );
      expect(metrics).toMatch(
        /lead_validation_warnings_total\{field="\/property\/baths",action="dropped",service="gateway"\} [1-9]/,
      );
      expect(metrics).toMatch(/lead_produce_duration_seconds_count\{[^}]*result="acked"[^}]*\} [1-9]/);
      expect(metrics).toMatch(
        /http_requests_total\{route="\/lead-delivery",method="POST",status="422",service="gateway"\} [1-9]/,
      );
      expect(metrics).toContain('lead_outbox_depth');
    });
  },
);

describe('graceful shutdown of the gateway', () => {
  it('stops accepting but finishes in-flight requests, every accepted lead on the topic, before closing', async () => {
    const gateway = await startGateway(accounts.file);
    const recorder = await new TopicRecorder(testKafka('gateway-shutdown')).start(LEAD_RECEIVED_V1.topic);
    const leads = Array.from({ length: 10 }, () => aStandardLead({ lead_id: uniqueLeadId('shutdown') }));
    const server = gateway.app.getHttpServer() as Server;
    // Counted once the server has parsed a request's headers: from then on its connection is in use, not
    // idle (a connection that is open but has not delivered its headers yet is idle, and closed at shutdown).
    let requestsInFlight = 0;
    server.on('request', () => requestsInFlight++);

    // Requests whose bodies are still arriving when the shutdown starts.
    const requests = leads.map((lead) => halfSentRequest(gateway.url, keys.plain, JSON.stringify(lead)));
    await expectEventually(() => expect(requestsInFlight).toBeGreaterThanOrEqual(leads.length));
    const closed = gateway.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    requests.forEach((request) => request.finish());

    expect(await Promise.all(requests.map((request) => request.status))).toEqual(leads.map(() => 200));
    await closed;
    await expectEventually(() =>
      leads.forEach((lead) => expect(recorder.withKey(lead.lead_id)).toHaveLength(1)),
    );
    await recorder.stop();
  });
});

function halfSentRequest(url: string, apiKey: string, body: string) {
  const half = Math.floor(body.length / 2);
  const request = httpRequest(`${url}/lead-delivery`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-api-key': apiKey,
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
  request.write(body.slice(0, half));
  return { status, finish: () => request.end(body.slice(half)) };
}
