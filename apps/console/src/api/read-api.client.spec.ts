import { fakeReadApi } from '../test-support/fake-read-api';
import { ReadApiError } from './read-api.client';

describe('ReadApiClient', () => {
  it('sends the token as a bearer and encodes path segments', async () => {
    const { client, calls } = fakeReadApi('secret', {
      'GET /accounts/acct%20a/leads/lead%2F1': () => ({ lead: {} }),
    });
    await client.lead('acct a', 'lead/1');
    expect(calls).toEqual([
      {
        method: 'GET',
        path: '/accounts/acct%20a/leads/lead%2F1',
        authorization: 'Bearer secret',
        body: undefined,
      },
    ]);
  });

  it('leaves blank filters out of the query', async () => {
    const { client, calls } = fakeReadApi('secret', {
      'GET /leads': () => ({ items: [], next_cursor: null }),
    });
    await client.leads({ q: 'maria@example.com', tier: '' });
    expect(calls[0]?.path).toBe('/leads?q=maria%40example.com');
  });

  it('throws the problem detail with its status', async () => {
    const { client } = fakeReadApi('secret', { 'GET /me': () => 403 });
    await expect(client.me()).rejects.toEqual(new ReadApiError(403, 'problem 403'));
    await expect(client.me()).rejects.toHaveProperty('status', 403);
  });
});
