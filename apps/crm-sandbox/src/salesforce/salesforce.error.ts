import { CrmHttpError, htmlErrorPage } from '../common/crm-http-error';
import type { InjectedFault } from '../faults/fault-injector.service';

/** One entry of a REST error body: `[{ message, errorCode, fields? }]`. */
export interface SalesforceRestError {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** A Salesforce REST error: the body is a JSON array, even for a single error. */
export class SalesforceError extends CrmHttpError {
  constructor(
    status: number,
    readonly errors: SalesforceRestError[],
    options: { headers?: Record<string, string>; html?: boolean } = {},
  ) {
    super(
      status,
      errors.map(({ errorCode, message }) => `${errorCode}: ${message}`).join('; '),
      options.headers,
      options.html,
    );
  }

  static of(status: number, errorCode: string, message: string, fields?: string[]): SalesforceError {
    return new SalesforceError(status, [{ message, errorCode, ...(fields ? { fields } : {}) }]);
  }

  body(): unknown {
    return this.html ? htmlErrorPage(this.status, this.errors[0]?.message ?? 'Error') : this.errors;
  }
}

export const sessionInvalid = () =>
  new SalesforceError(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], {
    headers: { 'WWW-Authenticate': 'Token' },
  });

export const resourceNotFound = () =>
  SalesforceError.of(404, 'NOT_FOUND', 'The requested resource does not exist');

export const jsonParserError = (detail: string) => SalesforceError.of(400, 'JSON_PARSER_ERROR', detail);

export const requestLimitExceeded = (message: string, headers: Record<string, string> = {}) =>
  new SalesforceError(403, [{ message, errorCode: 'REQUEST_LIMIT_EXCEEDED' }], { headers });

export const unknownException = () =>
  SalesforceError.of(
    500,
    'UNKNOWN_EXCEPTION',
    'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
  );

/** How an injected fault looks coming from Salesforce. */
export function salesforceFaultError(fault: InjectedFault): SalesforceError {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
  const html = fault.html ?? false;
  switch (fault.status) {
    case 401:
      return new SalesforceError(401, sessionInvalid().errors, {
        headers: { ...headers, 'WWW-Authenticate': 'Token' },
        html,
      });
    case 403:
      return new SalesforceError(
        403,
        [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        { headers, html },
      );
    case 429:
      // Salesforce signals limits with 403 REQUEST_LIMIT_EXCEEDED; a 429 is what a gateway in front of it would send.
      return new SalesforceError(
        429,
        [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
        { headers, html },
      );
    case 500:
      return new SalesforceError(500, unknownException().errors, { headers, html });
    default:
      return new SalesforceError(
        fault.status,
        [
          {
            message: 'Server is temporarily unavailable. Please try again later.',
            errorCode: 'SERVER_UNAVAILABLE',
          },
        ],
        { headers, html },
      );
  }
}
