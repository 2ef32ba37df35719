import { ReadApiClient } from '../api/read-api.client';

export interface Call {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

/**
 * A real ReadApiClient over a fake `fetch`: each route (`GET /leads`, path without the query) answers
 * with its handler's document, or a problem when it returns a number (the status).
 */
export function fakeReadApi(
  token: string,
  routes: Record<string, (call: Call) => unknown>,
  calls: Call[] = [],
) {
  const client = new ReadApiClient(token, async (input, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = {
      method: init?.method ?? 'GET',
      path: input,
      authorization: headers['Authorization'] ?? null,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const route = routes[`${call.method} ${input.split('?')[0]}`];
    const result = route ? route(call) : 404;
    const status = typeof result === 'number' ? result : 200;
    const document = typeof result === 'number' ? { title: 'Problem', detail: `problem ${status}` } : result;
    // jsdom has no fetch Response: the client reads only these members.
    return { ok: status < 400, status, text: async () => JSON.stringify(document) } as Response;
  });
  return { client, calls };
}
