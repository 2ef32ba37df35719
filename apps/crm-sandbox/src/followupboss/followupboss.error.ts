import { CrmHttpError, htmlErrorPage } from '../common/crm-http-error';
import type { InjectedFault } from '../faults/fault-injector.service';

/** A Follow Up Boss error: `{ "errorMessage": "..." }`. */
export class FollowupbossError extends CrmHttpError {
  constructor(
    status: number,
    message: string,
    options: { headers?: Record<string, string>; html?: boolean } = {},
  ) {
    super(status, message, options.headers, options.html);
  }

  body(): unknown {
    return this.html ? htmlErrorPage(this.status, this.message) : { errorMessage: this.message };
  }
}

export const accessDenied = () =>
  new FollowupbossError(401, 'Access denied: the API key is missing or invalid', {
    headers: { 'WWW-Authenticate': 'Basic realm="Follow Up Boss API"' },
  });

export const invalidRequest = (message: string) => new FollowupbossError(400, message);

export const tooManyRequests = (headers: Record<string, string>) =>
  new FollowupbossError(429, 'Too many requests', { headers });

export function followupbossFaultError(fault: InjectedFault): FollowupbossError {
  const headers: Record<string, string> =
    fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
  const message = fault.status === 429 ? 'Too many requests' : `Injected ${fault.kind} (${fault.status})`;
  return new FollowupbossError(fault.status, message, { headers, ...(fault.html ? { html: true } : {}) });
}
