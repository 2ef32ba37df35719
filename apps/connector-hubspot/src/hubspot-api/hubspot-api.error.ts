import { CrmHttpError, UNREACHABLE_ERROR_CODES } from '@lead-delivery/connector-kit';

/** A HubSpot answer other than success, with what classification needs (never a token or a payload). */
export class HubspotApiError extends Error {
  constructor(
    readonly status: number,
    /** HubSpot's error category: `VALIDATION_ERROR`, `RATE_LIMIT`, `EXPIRED_AUTHENTICATION`… */
    readonly category: string,
    message: string,
    /** The `Retry-After` header, if any (HubSpot does not promise one). */
    readonly retryAfter: string | null,
    /** 429s: `TEN_SECONDLY_ROLLING`, `DAILY`… */
    readonly policyName: string | undefined,
    /** The portal is the default one, shared by every account without its own token. */
    readonly sharedPortal: boolean,
    /** The answer's headers, for its rate-limit headers. */
    readonly headers?: Headers | Record<string, string>,
  ) {
    super(message);
    this.name = 'HubspotApiError';
  }
}

/** No answer: the host could not be reached, or the call outlived its timeout. */
export class HubspotNetworkError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'timeout' | 'aborted' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'HubspotNetworkError';
  }
}

/** One input of a batch call that HubSpot did not write. */
export interface HubspotItemError {
  category: string;
  message: string;
}

interface ErrorBody {
  category?: unknown;
  errorType?: unknown;
  message?: unknown;
  policyName?: unknown;
}

/** An error answer (status, JSON body, headers), as the SDK's ApiException or a raw response carries it. */
export function hubspotErrorOf(
  status: number,
  body: unknown,
  retryAfter: string | null | undefined,
  sharedPortal: boolean,
  { headers }: { headers?: Headers | Record<string, string> } = {},
): HubspotApiError {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const category = String(fields.category ?? fields.errorType ?? `HTTP_${status}`);
  const message = typeof fields.message === 'string' ? fields.message : `HTTP ${status}`;
  const policyName = typeof fields.policyName === 'string' ? fields.policyName : undefined;
  return new HubspotApiError(
    status,
    category,
    `${category}: ${message}`,
    retryAfter ?? null,
    policyName,
    sharedPortal,
    headers,
  );
}

/**
 * What the SDK threw, in our terms: its ApiException (one class per generated module, so it is recognised
 * by shape) becomes a HubspotApiError; a socket failure (node:http's error with its code, or the kit's
 * CrmHttpError) a HubspotNetworkError. The SDK's own message is not kept: it embeds the whole response body.
 */
export function fromSdkError(error: unknown, sharedPortal: boolean): Error {
  const candidate = error as {
    code?: unknown;
    body?: unknown;
    headers?: unknown;
  };
  if (typeof candidate?.code === 'number' && 'body' in candidate) {
    const headers = (candidate.headers ?? {}) as Record<string, string | undefined>;
    return hubspotErrorOf(candidate.code, candidate.body, headers['retry-after'], sharedPortal, {
      headers: headers as Record<string, string>,
    });
  }
  if (error instanceof CrmHttpError) return new HubspotNetworkError(error.reason, error.message);
  // The SDK's typed clients over node:http (its `httpAgent`): a socket error, with its errno name (ECONNREFUSED,
  // ECONNRESET…), not Node's own ERR_* codes, which are bugs of ours.
  if (typeof candidate?.code === 'string' && /^E[A-Z]+$/.test(candidate.code)) {
    return new HubspotNetworkError(
      UNREACHABLE_ERROR_CODES.has(candidate.code) ? 'unreachable' : 'failed',
      `HubSpot did not answer (${candidate.code})`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Whether HubSpot turned the call away before carrying any of it out: a 4xx (validation of the whole
 * call, auth, rate limit) or 503 (service unavailable). Anything else (a timeout, a dropped connection,
 * 500, 502, 504) may come after HubSpot wrote, so what the call would have written must be looked up.
 */
export function wasRefused(error: unknown): boolean {
  return (
    error instanceof HubspotApiError && ((error.status >= 400 && error.status < 500) || error.status === 503)
  );
}
