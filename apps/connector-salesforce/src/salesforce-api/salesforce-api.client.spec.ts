import pino from 'pino';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classifySalesforceFailure } from '../salesforce-failure.classifier';
import { SalesforceClient } from './salesforce-api.client';

describe('SalesforceClient', () => {
  let server: Server;
  let baseUrl: string;
  let answerData: (res: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/services/oauth2/token') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'token', instance_url: baseUrl }));
          return;
        }
        answerData(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = new SalesforceClient({
    apiVersion: '62.0',
    timeoutMs: 5_000,
    logger: pino({ enabled: false }),
  });
  const org = () => ({
    credentials: {
      flow: 'client_credentials' as const,
      loginUrl: baseUrl,
      clientId: 'id',
      clientSecret: 'secret',
    },
    sharedOrg: false,
  });
  const signal = new AbortController().signal;

  it.each([
    ['a body that is not JSON (a proxy’s page)', '<html>OK</html>', 'got no list'],
    ['fewer results than records', JSON.stringify([{ id: '00Q1', success: true, errors: [] }]), 'got 1'],
  ])(
    'fails a 200 whose answer it cannot read, %s, as a CRM fault (retried), not as the lead’s',
    async (_case, body, detail) => {
      answerData = (res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end(body);
      };
      const failure = await client
        .upsertLeads(org(), 'Realtor_Lead_Key__c', [{ LastName: 'One' }, { LastName: 'Two' }], signal)
        .catch((error: unknown) => error);

      expect(failure).toMatchObject({ status: 502, errorCode: 'UNEXPECTED_RESPONSE' });
      expect((failure as Error).message).toContain(detail);
      expect(classifySalesforceFailure(failure)).toMatchObject({ kind: 'transient' });
    },
  );
});
