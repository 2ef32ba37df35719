import type { OpenAPIObject } from '@nestjs/swagger';
import { CONSUMER_GROUPS, TOPICS, dlqTopicOf } from '@lead-delivery/contracts';
import { anEnhancedLead } from '@lead-delivery/testing';
import { readFileSync } from 'node:fs';
import { READ_API_OPENAPI_FILE } from '../src/read-api/openapi/read-api-openapi-file';
import { componentValidators, responseSchemaName } from './openapi-schemas';
import { PersistenceHarness, type ApiResponse } from './persistence-harness';

// The read API against its committed OpenAPI document: the document it serves is that file, and real
// responses of every documented GET (and the erasure request) validate against the documented schemas,
// with objects closed, so an undocumented member fails as much as a missing one.

const document = JSON.parse(readFileSync(READ_API_OPENAPI_FILE, 'utf8')) as OpenAPIObject;
const validatorOf = componentValidators(document, { closed: true });

/** The documented operation by id: its method and path template. */
function operation(operationId: string): { method: 'get' | 'post'; template: string } {
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post'] as const) {
      if (item[method]?.operationId === operationId) return { method, template };
    }
  }
  throw new Error(`no operation ${operationId} in the document`);
}

describe('persistence read API: its OpenAPI 3.1 document and the responses it describes', () => {
  const harness = new PersistenceHarness();
  const exercised = new Set<string>();
  const enriched = anEnhancedLead({ timestamp: new Date(Date.now() - 60_000).toISOString() });
  const receivedOnly = anEnhancedLead({ timestamp: new Date(Date.now() - 30_000).toISOString() });
  const account = 'acct-austin';

  /** Calls a documented operation and checks the answer against what the document says of that status. */
  async function call(
    operationId: string,
    params: Record<string, string> = {},
    { query = '', body, token }: { query?: string; body?: unknown; token?: string | null } = {},
  ): Promise<ApiResponse> {
    const { method, template } = operation(operationId);
    const path = template.replace(/\{(\w+)\}/g, (_match, name: string) =>
      encodeURIComponent(params[name] ?? ''),
    );
    const response =
      method === 'get' ? await harness.get(`${path}${query}`, token) : await harness.post(path, body, token);
    const schema = responseSchemaName(document, method, template, response.status);
    const validate = validatorOf(schema);
    expect({
      operationId,
      status: response.status,
      errors: validate(response.body) ? [] : validate.errors,
    }).toEqual({
      operationId,
      status: response.status,
      errors: [],
    });
    exercised.add(operationId);
    return response;
  }

  beforeAll(async () => {
    await harness.start();
    await harness.publishReceived(enriched, { accountId: account });
    await harness.publishEnriched(enriched, { accountId: account, destinations: ['hubspot', 'salesforce'] });
    await harness.publishDelivery(enriched, { destination: 'hubspot', outcome: 'delivered' });
    await harness.publishDelivery(enriched, {
      destination: 'salesforce',
      outcome: 'failed',
      error: 'HTTP 500',
    });
    await harness.publishReceived(receivedOnly, { accountId: account });
    await harness.consumedEverything();
  });
  afterAll(() => harness.stop());

  it('serves the committed document at /openapi.json, without a token', async () => {
    const response = await fetch(`${harness.readApiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(await response.json()).toEqual(document);
  });

  it('lists leads a page at a time as documented, the cursor included', async () => {
    const first = await call('listLeads', {}, { query: `?account=${account}&limit=1` });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const next = await call(
      'listLeads',
      {},
      { query: `?account=${account}&limit=1&cursor=${first.body.next_cursor}` },
    );
    expect(next.body.items.map((item: { lead_id: string }) => item.lead_id)).toEqual([enriched.lead_id]);
    await call('listLeads', {}, { query: '?limit=0&colour=red' });
  });

  it('shows a lead as documented, enriched and delivered or only received, and a 404', async () => {
    const detail = await call('getLead', { accountId: account, leadId: enriched.lead_id });
    expect(detail.body.deliveries).toHaveLength(2);
    expect(detail.body.person).not.toBeNull();
    const bare = await call('getLead', { accountId: account, leadId: receivedOnly.lead_id });
    expect(bare.body.lead.enrichment).toBeNull();
    expect((await call('getLead', { accountId: account, leadId: 'no-such-lead' })).status).toBe(404);
  });

  it('shows a person, delivery stats, and refuses without a token, as documented', async () => {
    const personKey = enriched.contact.email.trim().toLowerCase();
    expect((await call('getPerson', { accountId: account, personKey })).body.leads).toHaveLength(1);
    expect((await call('getPerson', { accountId: account, personKey: 'nobody@example.com' })).status).toBe(
      404,
    );
    expect((await call('getDeliveryStats')).body.destinations).toHaveLength(2);
    expect((await call('getDeliveryStats', {}, { query: '?since=yesterday' })).status).toBe(400);
    expect((await call('getDeliveryStats', {}, { token: null })).status).toBe(401);
  });

  it('requests an erasure and shows it as documented', async () => {
    const requested = await call('erasePerson', {}, { body: { email: 'someone.else@example.com' } });
    expect(requested.status).toBe(202);
    await call('getErasure', { id: requested.body.erasure_id });
    expect((await call('getErasure', { id: 'not-a-uuid' })).status).toBe(400);
  });

  it("shows the token's operator, the delivery series and the dead letters, and refuses a replay without its scope, as documented", async () => {
    expect((await call('getOperator')).body.scopes).toEqual(['read', 'erase']);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const series = await call('getDeliverySeries', {}, { query: `?bucket=hour&since=${since}` });
    expect(series.status).toBe(200);
    const topics = await call('listDeadLetterTopics');
    const dlq = dlqTopicOf(TOPICS.leadReceived, CONSUMER_GROUPS.persistence);
    expect(topics.body).toContainEqual(expect.objectContaining({ topic: dlq }));
    expect((await call('listDeadLetters', { topic: dlq })).status).toBe(200);
    expect((await call('replayDeadLetters', { topic: dlq }, { body: {} })).status).toBe(403);
  });

  it('has exercised every documented operation above', () => {
    const documented = Object.values(document.paths).flatMap((item) => [
      item.get?.operationId,
      item.post?.operationId,
    ]);
    expect([...exercised].sort()).toEqual(documented.filter((id) => id !== undefined).sort());
  });
});
