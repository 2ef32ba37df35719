import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubspotPortal } from '../hubspot-api/hubspot-api.client';
import { HubspotErasureClient } from './hubspot-erasure.client';

// The erasure calls take a unit of the portal's call budget before each request and report the answer's
// rate-limit headers, as the delivery calls do. A loopback server stands in for HubSpot.
describe('HubspotErasureClient call budget', () => {
  let server: Server;
  let baseUrl: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      response.writeHead(request.url?.endsWith('/gdpr-delete') ? 204 : 404, {
        'x-hubspot-ratelimit-max': '190',
        'x-hubspot-ratelimit-remaining': '150',
        'x-hubspot-ratelimit-interval-milliseconds': '10000',
        'x-hubspot-ratelimit-daily': '500000',
        'x-hubspot-ratelimit-daily-remaining': '499000',
      });
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('takes a unit before each request and reports the rate-limit headers of each answer, a 404 included', async () => {
    const order: string[] = [];
    const budget = {
      acquire: jest.fn(async () => {
        order.push(`acquire after ${requests.length} requests`);
      }),
      report: jest.fn(),
    };
    const portal: HubspotPortal = {
      credentials: { accessToken: 'pat-test', baseUrl },
      sharedPortal: false,
      budget,
    };
    const client = new HubspotErasureClient({ timeoutMs: 5_000 });
    const signal = new AbortController().signal;

    expect(await client.gdprDeleteContact(portal, '101', signal)).toBe('deleted');
    expect(await client.blankContact(portal, '102', ['email'], signal)).toBe('gone');

    expect(order).toEqual(['acquire after 0 requests', 'acquire after 1 requests']);
    expect(requests).toEqual([
      'POST /crm/v3/objects/contacts/gdpr-delete',
      'PATCH /crm/v3/objects/contacts/102',
    ]);
    expect(budget.report).toHaveBeenCalledTimes(2);
    expect(budget.report).toHaveBeenCalledWith({
      window: { max: 190, remaining: 150, intervalMs: 10_000 },
      daily: { limit: 500_000, remaining: 499_000 },
    });
  });
});
