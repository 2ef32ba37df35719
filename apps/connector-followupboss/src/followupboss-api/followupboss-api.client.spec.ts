import { CrmHttpError, type RateLimitReport } from '@lead-delivery/connector-kit';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FubEvent } from '../event/followupboss-event.mapper';
import { classifyFollowupbossFailure } from '../followupboss-failure.classifier';
import { FollowupbossClient } from './followupboss-api.client';
import { FollowupbossApiError } from './followupboss-api.error';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('FollowupbossClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let answer: (req: Seen, res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        seen.push(request);
        answer(request, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (seen.length = 0));

  const credentials = () => ({
    baseUrl,
    apiKey: 'fub-key',
    system: 'LeadDeliveryPlatform',
    systemKey: 'sys-key',
  });
  const reports: RateLimitReport[] = [];
  let acquired = 0;
  const call = {
    signal: new AbortController().signal,
    budget: {
      acquire: async () => void (acquired += 1),
      report: (report: RateLimitReport) => void reports.push(report),
    },
  };
  const client = new FollowupbossClient({ timeoutMs: 5_000 });
  const event: FubEvent = {
    source: 'Realtor.com',
    type: 'General Inquiry',
    description: 'Realtor.com lead id: l-1 (account a)',
    person: { emails: [{ value: 'jo@example.com' }] },
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  it('posts the event with Basic auth (key, empty password), the system headers and the system name', async () => {
    answer = (_, res) =>
      json(
        res,
        201,
        { id: 77 },
        {
          'X-RateLimit-Limit': '200',
          'X-RateLimit-Remaining': '156',
          'X-RateLimit-Window': '10',
          'X-RateLimit-Context': 'POST.events',
        },
      );
    expect(await client.postEvent(credentials(), event, call)).toEqual({
      outcome: 'created',
      personId: '77',
    });
    const [request] = seen;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/events' });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('fub-key:').toString('base64')}`);
    expect(request?.headers['x-system']).toBe('LeadDeliveryPlatform');
    expect(request?.headers['x-system-key']).toBe('sys-key');
    expect(JSON.parse(request?.body ?? '{}')).toEqual({ ...event, system: 'LeadDeliveryPlatform' });
    expect(reports.at(-1)).toEqual({ window: { max: 200, remaining: 156, intervalMs: 10_000 } });
  });

  it('tells an existing person (200) from a new one, and a 204 (archived lead flow) from both', async () => {
    answer = (_, res) => json(res, 200, { id: 5 });
    expect(await client.postEvent(credentials(), event, call)).toEqual({ outcome: 'updated', personId: '5' });
    answer = (_, res) => {
      res.writeHead(204);
      res.end();
    };
    expect(await client.postEvent(credentials(), event, call)).toEqual({ outcome: 'archived' });
  });

  it('throws 429 with its Retry-After and reports the exhausted window', async () => {
    answer = (_, res) =>
      json(
        res,
        429,
        { errorMessage: 'Too many requests' },
        {
          'Retry-After': '8',
          'X-RateLimit-Limit': '200',
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Window': '10',
        },
      );
    const error = await client.postEvent(credentials(), event, call).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(FollowupbossApiError);
    expect(error).toMatchObject({
      status: 429,
      retryAfter: '8',
      message: 'POST /v1/events: HTTP 429: Too many requests',
    });
    expect(reports.at(-1)).toEqual({ window: { max: 200, remaining: 0, intervalMs: 10_000 } });
  });

  it('finds the person whose events carry the lead’s marker, paging through the events, without reporting reads', async () => {
    const before = reports.length;
    acquired = 0;
    answer = (req, res) => {
      const url = new URL(req.url, baseUrl);
      if (url.pathname === '/v1/people') return json(res, 200, { people: [{ id: 9 }] });
      const offset = Number(url.searchParams.get('offset'));
      const events = Array.from({ length: offset === 0 ? 100 : 1 }, (_, index) => ({
        id: offset + index,
        description: offset === 0 ? 'another lead' : 'Score\nRealtor.com lead id: l-1 (account a)',
      }));
      json(res, 200, { _metadata: { total: 101 }, events });
    };
    expect(
      await client.findLeadEvent(credentials(), 'jo@example.com', { accountId: 'a', leadId: 'l-1' }, call),
    ).toBe('9');
    expect(seen.map(({ url }) => url)).toEqual([
      '/v1/people?email=jo%40example.com&fields=id&limit=100',
      '/v1/events?personId=9&limit=100&offset=0',
      '/v1/events?personId=9&limit=100&offset=100',
    ]);
    expect(acquired).toBe(3);
    expect(reports.length).toBe(before);
    expect(
      await client.findLeadEvent(credentials(), 'jo@example.com', { accountId: 'b', leadId: 'l-1' }, call),
    ).toBeUndefined();
  });
  it('deletes a person with the same auth, a unit of the budget, its headers reported; a 404 is gone', async () => {
    acquired = 0;
    answer = (req, res) =>
      json(
        res,
        req.url === '/v1/people/42' ? 200 : 404,
        req.url === '/v1/people/42' ? {} : { errorMessage: 'Not found' },
        {
          'X-RateLimit-Limit': '250',
          'X-RateLimit-Remaining': '249',
          'X-RateLimit-Window': '10',
          'X-RateLimit-Context': 'global',
        },
      );
    expect(await client.deletePerson(credentials(), '42', call)).toBe('deleted');
    expect(await client.deletePerson(credentials(), '43', call)).toBe('gone');
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'DELETE /v1/people/42',
      'DELETE /v1/people/43',
    ]);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('fub-key:').toString('base64')}`);
    expect(seen[0]?.headers['x-system']).toBe('LeadDeliveryPlatform');
    expect(seen[0]?.headers['x-system-key']).toBe('sys-key');
    expect(acquired).toBe(2);
    expect(reports.slice(-2)).toEqual([
      { window: { max: 250, remaining: 249, intervalMs: 10_000 } },
      { window: { max: 250, remaining: 249, intervalMs: 10_000 } },
    ]);
  });

  it('throws the other failures of a delete for the classifier', async () => {
    answer = (_, res) => json(res, 403, { errorMessage: 'Access denied' });
    await expect(client.deletePerson(credentials(), '42', call)).rejects.toMatchObject({
      status: 403,
      message: 'DELETE /v1/people/42: HTTP 403: Access denied',
    });
  });

  it('quotes the start of an error page that is not JSON (a proxy’s)', async () => {
    const page = `<html><body>Bad gateway</body>${'<!-- padding -->'.repeat(20)}</html>`;
    answer = (_, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(page);
    };
    await expect(client.postEvent(credentials(), event, call)).rejects.toMatchObject({
      status: 502,
      retryAfter: null,
      message: `POST /v1/events: HTTP 502: ${page.slice(0, 200)}`,
    });
  });

  it('fails a success it cannot read as a CRM fault (502, retried and looked up), not as the lead’s', async () => {
    answer = (_, res) => {
      res.writeHead(201, { 'Content-Type': 'text/html' });
      res.end('<html>Created</html>');
    };
    const failure = client.postEvent(credentials(), event, call);
    await expect(failure).rejects.toMatchObject({
      status: 502,
      message: 'POST /v1/events: HTTP 201 with a body that is not JSON',
    });
    expect(classifyFollowupbossFailure(await failure.catch((error: unknown) => error))).toMatchObject({
      kind: 'transient',
    });
  });

  describe('a call that gets no answer', () => {
    const slowly = (ms: number) => (_: Seen, res: ServerResponse) =>
      void setTimeout(() => json(res, 201, { id: 1 }), ms);

    it('throws the kit’s CrmHttpError when nothing listens, which the classifier retries as transient', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      acquired = 0;

      const error = await client
        .postEvent({ ...credentials(), baseUrl: `http://127.0.0.1:${port}` }, event, call)
        .catch((thrown: unknown) => thrown);

      expect(acquired).toBe(1);
      expect(error).toBeInstanceOf(CrmHttpError);
      expect(error).toMatchObject({ reason: 'unreachable' });
      expect(classifyFollowupbossFailure(error)).toMatchObject({
        kind: 'transient',
        message: `127.0.0.1:${port} is unreachable (ECONNREFUSED)`,
      });
    });

    it('gives up after the timeout', async () => {
      answer = slowly(1_000);
      const impatient = new FollowupbossClient({ timeoutMs: 50 });
      await expect(impatient.postEvent(credentials(), event, call)).rejects.toMatchObject({
        name: 'CrmHttpError',
        reason: 'timeout',
        message: 'no answer within 50 ms',
      });
    });

    it('is abandoned when the app shuts down', async () => {
      answer = slowly(1_000);
      const shutdown = new AbortController();
      const posting = client.postEvent(credentials(), event, { ...call, signal: shutdown.signal });
      setTimeout(() => shutdown.abort(), 20);
      await expect(posting).rejects.toMatchObject({ name: 'CrmHttpError', reason: 'aborted' });
    });
  });
});
