import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

// HTTP with a CRM over node:http, not `fetch`. Node's `fetch` (undici) parses HTTP with llhttp compiled to
// WebAssembly: a connector whose answers are batches of 100–200 records made V8 compile it at run time, 25–30 MB
// of transient compiler memory that the allocator kept as RSS (a batching connector's peak at 400 leads/s, as a
// pod). node:http parses with Node's own C build of llhttp.

export interface CrmHttpRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface CrmHttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export type CrmHttpFailure = 'unreachable' | 'timeout' | 'aborted' | 'failed';

/** A call that got no answer, and why. */
export class CrmHttpError extends Error {
  constructor(
    readonly reason: CrmHttpFailure,
    message: string,
  ) {
    super(message);
    this.name = 'CrmHttpError';
  }
}

/** Socket error codes that mean the CRM's host could not be reached at all. */
export const UNREACHABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const HTTP_AGENT = new HttpAgent({ keepAlive: true });
const HTTPS_AGENT = new HttpsAgent({ keepAlive: true });

/** The process's keep-alive agent for the URL's protocol (also for a CRM SDK that takes an `httpAgent`). */
export function crmHttpAgent(url: string): HttpAgent | HttpsAgent {
  return new URL(url).protocol === 'https:' ? HTTPS_AGENT : HTTP_AGENT;
}

/** The exchange, body read, bounded by `timeoutMs` and by `signal` (the app's shutdown). */
export async function crmHttpExchange(
  url: string,
  { method, headers = {}, body }: CrmHttpRequest,
  { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal },
): Promise<CrmHttpAnswer> {
  const target = new URL(url);
  const timeout = AbortSignal.timeout(timeoutMs);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const outgoing =
    body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) };
  try {
    return await new Promise<CrmHttpAnswer>((resolve, reject) => {
      const request = send(
        target,
        {
          method,
          headers: outgoing,
          agent: crmHttpAgent(url),
          signal: AbortSignal.any([signal, timeout]),
        },
        (response) => readAnswer(response).then(resolve, reject),
      );
      request.on('error', reject);
      request.end(body);
    });
  } catch (error) {
    if (timeout.aborted) throw new CrmHttpError('timeout', `no answer within ${timeoutMs} ms`);
    if (signal.aborted) throw new CrmHttpError('aborted', 'the call was abandoned at shutdown');
    const { message, code } = error as NodeJS.ErrnoException;
    if (code && UNREACHABLE_ERROR_CODES.has(code))
      throw new CrmHttpError('unreachable', `${target.host} is unreachable (${code})`);
    throw new CrmHttpError('failed', `${message}${code ? ` (${code})` : ''}`);
  }
}

async function readAnswer(response: IncomingMessage): Promise<CrmHttpAnswer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (let i = 0; i < response.rawHeaders.length; i += 2)
    headers.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
  return { status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') };
}
