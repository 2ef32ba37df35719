import { SalesforceNetworkError } from './salesforce-api.error';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * One HTTP exchange, body read, bounded by `timeoutMs` and by `signal` (the app's shutdown); a call that gets
 * no answer becomes a SalesforceNetworkError saying why.
 */
export async function exchange(
  url: string,
  init: RequestInit,
  { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal },
): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    const { name, message, cause } = error as Error & { cause?: { code?: string } };
    if (name === 'TimeoutError')
      throw new SalesforceNetworkError('timeout', `no answer within ${timeoutMs} ms`);
    if (name === 'AbortError')
      throw new SalesforceNetworkError('aborted', 'the call was abandoned at shutdown');
    const code = cause?.code;
    if (code && UNREACHABLE.has(code)) {
      throw new SalesforceNetworkError('unreachable', `${new URL(url).host} is unreachable (${code})`);
    }
    throw new SalesforceNetworkError('failed', `${message}${code ? ` (${code})` : ''}`);
  }
}
