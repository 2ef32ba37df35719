import { parseJsonOrUndefined } from '@lead-delivery/connector-kit';

/** Which Salesforce endpoint answered: the OAuth token endpoint or the REST data API. */
export type SalesforceEndpoint = 'token' | 'data';

/** A Salesforce answer other than success, with what classification needs (never a token or a payload). */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    /** `INVALID_SESSION_ID`, `REQUEST_LIMIT_EXCEEDED`, `invalid_grant`, `HTML_RESPONSE`, `HTTP_<status>`… */
    readonly errorCode: string,
    message: string,
    readonly endpoint: SalesforceEndpoint,
    /** The `Retry-After` header, if any. */
    readonly retryAfter: string | null,
    /** The org is the default one, shared by every account without its own credentials. */
    readonly sharedOrg: boolean,
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }
}

/** No answer: the host could not be reached, or the call outlived its timeout. */
export class SalesforceNetworkError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'timeout' | 'aborted' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'SalesforceNetworkError';
  }
}

interface ErrorItem {
  message?: unknown;
  errorCode?: unknown;
  fields?: unknown;
}

/** Reads an error answer: REST `[{message, errorCode, fields}]`, OAuth `{error, error_description}`, or an HTML page. */
export function salesforceErrorOf(
  status: number,
  headers: Headers,
  body: string,
  endpoint: SalesforceEndpoint,
  sharedOrg: boolean,
): SalesforceApiError {
  const retryAfter = headers.get('retry-after');
  const error = (code: string, message: string) =>
    new SalesforceApiError(status, code, message, endpoint, retryAfter, sharedOrg);
  if ((headers.get('content-type') ?? '').includes('text/html')) {
    return error('HTML_RESPONSE', `HTTP ${status} with an HTML page (the org is unavailable or unreachable)`);
  }
  const json = parseJsonOrUndefined(body);
  if (json === undefined) return error(`HTTP_${status}`, `HTTP ${status}: ${body.slice(0, 200)}`);
  const items = (Array.isArray(json) ? json : [json]) as (ErrorItem & {
    error?: unknown;
    error_description?: unknown;
  })[];
  const [first] = items;
  if (typeof first?.error === 'string') {
    return error(first.error, `${first.error}: ${String(first.error_description ?? '')}`.trim());
  }
  if (typeof first?.errorCode === 'string') {
    return error(
      first.errorCode,
      items.map((item) => `${String(item.errorCode)}: ${String(item.message)}`).join('; '),
    );
  }
  return error(`HTTP_${status}`, `HTTP ${status}: ${body.slice(0, 200)}`);
}

/**
 * Salesforce refused the call before doing anything: 4xx (a bad request, auth, a limit) or 503 (service
 * unavailable). Anything else (a timeout, a dropped connection, 500, 502, 504) may come after it wrote.
 */
export function wasRefused(error: unknown): boolean {
  return (
    error instanceof SalesforceApiError &&
    ((error.status >= 400 && error.status < 500) || error.status === 503)
  );
}
