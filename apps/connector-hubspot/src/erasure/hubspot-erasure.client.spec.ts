import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubspotPortal } from '../hubspot-api/hubspot-api.client';
import { HubspotApiError, HubspotNetworkError } from '../hubspot-api/hubspot-api.error';
import { classifyHubspotFailure } from '../hubspot-failure.classifier';
import { HubspotErasureClient } from './hubspot-erasure.client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const RATE_LIMIT_HEADERS = {
  'x-hubspot-ratelimit-max': '190',
  'x-hubspot-ratelimit-remaining': '150',
  'x-hubspot-ratelimit-interval-milliseconds': '10000',
  'x-hubspot-ratelimit-daily': '500000',
  'x-hubspot-ratelimit-daily-remaining': '499000',
};

// A loopback server stands in for HubSpot.
describe('HubspotErasureClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let answer: (request: Seen, response: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const received = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body,
        };
        seen.push(received);
        answer(received, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (seen.length = 0));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const portalAt = (url: string, budget?: HubspotPortal['budget']): HubspotPortal => ({
    credentials: { accessToken: 'pat-test', baseUrl: url },
    sharedPortal: false,
    ...(budget ? { budget } : {}),
  });
  const client = new HubspotErasureClient({ timeoutMs: 5_000 });
  const signal = new AbortController().signal;
  const json = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

  it('takes a unit before each request and reports the rate-limit headers of each answer, a 404 included', async () => {
    answer = (request, response) => {
      response.writeHead(request.url.endsWith('/gdpr-delete') ? 204 : 404, RATE_LIMIT_HEADERS);
      response.end();
    };
    const order: string[] = [];
    const budget = {
      acquire: jest.fn(async () => {
        order.push(`acquire after ${seen.length} requests`);
      }),
      report: jest.fn(),
    };
    const portal = portalAt(baseUrl, budget);

    expect(await client.gdprDeleteContact(portal, '101', signal)).toBe('deleted');
    expect(await client.blankContact(portal, '102', ['email'], signal)).toBe('gone');

    expect(order).toEqual(['acquire after 0 requests', 'acquire after 1 requests']);
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'POST /crm/v3/objects/contacts/gdpr-delete',
      'PATCH /crm/v3/objects/contacts/102',
    ]);
    expect(budget.report).toHaveBeenCalledTimes(2);
    expect(budget.report).toHaveBeenCalledWith({
      window: { max: 190, remaining: 150, intervalMs: 10_000 },
      daily: { limit: 500_000, remaining: 499_000 },
    });
  });

  it('sends the portal’s token as a bearer token and the input as JSON', async () => {
    answer = (_, response) => json(response, 200, { id: '102' });

    expect(await client.blankContact(portalAt(baseUrl), '102', ['email', 'phone'], signal)).toBe('blanked');

    const [request] = seen;
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer pat-test',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual({ properties: { email: '', phone: '' } });
  });

  it('reads the notes of a contact from the associations and the notes batch read', async () => {
    answer = (request, response) =>
      request.url === '/crm/v4/associations/contacts/notes/batch/read'
        ? json(response, 200, {
            results: [{ from: { id: '101' }, to: [{ toObjectId: 7 }, { toObjectId: 8 }] }],
          })
        : json(response, 200, {
            results: [
              { id: '7', properties: { hs_note_body: 'first' } },
              { id: '8', properties: { hs_note_body: 'second' } },
            ],
          });

    expect(await client.notesOf(portalAt(baseUrl), '101', signal)).toEqual([
      { id: '7', body: 'first' },
      { id: '8', body: 'second' },
    ]);
    expect(JSON.parse(seen[1]?.body ?? '')).toEqual({
      inputs: [{ id: '7' }, { id: '8' }],
      properties: ['hs_note_body'],
    });
  });

  it('throws an error answer as a HubspotApiError with its category, message and Retry-After', async () => {
    answer = (_, response) =>
      json(
        response,
        429,
        {
          status: 'error',
          message: 'Slow down',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
        { 'Retry-After': '3' },
      );

    const error = await client
      .archiveNotes(portalAt(baseUrl), ['7'], signal)
      .catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(HubspotApiError);
    expect(error).toMatchObject({
      status: 429,
      category: 'RATE_LIMIT',
      message: 'RATE_LIMIT: Slow down',
      retryAfter: '3',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  });

  it('names an error answer that is not JSON by its status', async () => {
    answer = (_, response) => {
      response.writeHead(502, { 'Content-Type': 'text/html' });
      response.end('<html>Bad gateway</html>');
    };
    await expect(client.gdprDeleteContact(portalAt(baseUrl), '101', signal)).rejects.toMatchObject({
      status: 502,
      category: 'HTTP_502',
      message: 'HTTP_502: HTTP 502',
    });
  });

  describe('a call that gets no answer', () => {
    const slowly = (ms: number) => (_: Seen, response: ServerResponse) =>
      void setTimeout(() => json(response, 200, {}), ms);

    it('is a HubspotNetworkError when nothing listens, which the classifier takes for unavailable', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));

      const error = await client
        .gdprDeleteContact(portalAt(`http://127.0.0.1:${port}`), '101', signal)
        .catch((thrown: unknown) => thrown);

      expect(error).toEqual(
        new HubspotNetworkError('unreachable', `127.0.0.1:${port} is unreachable (ECONNREFUSED)`),
      );
      expect(classifyHubspotFailure(error)).toMatchObject({ kind: 'unavailable' });
    });

    it('is a HubspotNetworkError after the timeout', async () => {
      answer = slowly(1_000);
      const impatient = new HubspotErasureClient({ timeoutMs: 50 });
      await expect(impatient.gdprDeleteContact(portalAt(baseUrl), '101', signal)).rejects.toEqual(
        new HubspotNetworkError('timeout', 'no answer within 50 ms'),
      );
    });

    it('is abandoned when the app shuts down', async () => {
      answer = slowly(1_000);
      const shutdown = new AbortController();
      const deleting = client.gdprDeleteContact(portalAt(baseUrl), '101', shutdown.signal);
      setTimeout(() => shutdown.abort(), 20);
      await expect(deleting).rejects.toEqual(
        new HubspotNetworkError('aborted', 'the call was abandoned at shutdown'),
      );
    });
  });
});
