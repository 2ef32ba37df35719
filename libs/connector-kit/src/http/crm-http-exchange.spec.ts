import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CrmHttpError, crmHttpExchange } from './crm-http-exchange';

describe('crmHttpExchange', () => {
  let server: Server;
  let base: string;
  let received: { method?: string; headers: IncomingMessage['headers']; body: string }[];
  let answerAfterMs: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({ method: request.method, headers: request.headers, body });
        setTimeout(() => {
          response.setHeader('Sforce-Limit-Info', 'api-usage=25/15000');
          response.setHeader('Set-Cookie', ['a=1', 'b=2']);
          response.statusCode = request.url === '/missing' ? 404 : 201;
          response.end(JSON.stringify({ échoed: body }));
        }, answerAfterMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    received = [];
    answerAfterMs = 0;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const bounds = (timeoutMs = 2_000, signal = new AbortController().signal) => ({ timeoutMs, signal });

  it('sends the method, headers and body, and reads the status, headers and whole body', async () => {
    const body = JSON.stringify({ records: ['ü', 'x'.repeat(100_000)] });
    const answer = await crmHttpExchange(
      `${base}/services/data`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' }, body },
      bounds(),
    );

    expect(received).toEqual([
      expect.objectContaining({
        method: 'POST',
        body,
        headers: expect.objectContaining({
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        }),
      }),
    ]);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('sforce-limit-info')).toBe('api-usage=25/15000');
    expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(JSON.parse(answer.body)).toEqual({ échoed: body });
  });

  it('returns an error status as an answer, not a failure', async () => {
    const answer = await crmHttpExchange(`${base}/missing`, { method: 'GET' }, bounds());
    expect(answer.status).toBe(404);
    expect(received[0]?.headers['content-length']).toBeUndefined();
  });

  it('fails with timeout when no answer comes within the bound', async () => {
    answerAfterMs = 500;
    await expect(crmHttpExchange(`${base}/slow`, { method: 'GET' }, bounds(50))).rejects.toMatchObject({
      name: 'CrmHttpError',
      reason: 'timeout',
      message: 'no answer within 50 ms',
    });
  });

  it('fails with aborted when the app shuts down during the call', async () => {
    answerAfterMs = 500;
    const shutdown = new AbortController();
    const call = crmHttpExchange(`${base}/slow`, { method: 'GET' }, bounds(2_000, shutdown.signal));
    setTimeout(() => shutdown.abort(), 20);
    await expect(call).rejects.toMatchObject({ reason: 'aborted' });
  });

  it('fails with unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const failure = await crmHttpExchange(`http://127.0.0.1:${port}/`, { method: 'GET' }, bounds()).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CrmHttpError);
    expect(failure).toMatchObject({
      reason: 'unreachable',
      message: `127.0.0.1:${port} is unreachable (ECONNREFUSED)`,
    });
  });
});
