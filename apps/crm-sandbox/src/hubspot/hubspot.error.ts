import { randomUUID } from 'node:crypto';
import { CrmHttpError, htmlErrorPage } from '../common/crm-http-error';
import type { InjectedFault } from '../faults/fault-injector.service';
import type { HubspotPolicy } from '../faults/fault-settings.dto';

/** The fields of a HubSpot error besides `status`, `message` and `correlationId`. */
export interface HubspotErrorFields {
  category?: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: { message: string; code?: string; in?: string }[];
  [extra: string]: unknown;
}

/** One entry of "Property values were not valid: [...]". */
export interface PropertyProblem {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
  portalId: number;
}

export const CORRELATION_HEADER = 'X-HubSpot-Correlation-Id';

/** A HubSpot error body: `{ status: "error", message, correlationId, category, … }`, the id echoed in a header. */
export class HubspotError extends CrmHttpError {
  readonly correlationId = randomUUID();

  constructor(
    status: number,
    message: string,
    readonly fields: HubspotErrorFields = {},
    options: { headers?: Record<string, string>; html?: boolean } = {},
  ) {
    super(status, message, options.headers, options.html);
    this.headers[CORRELATION_HEADER] = this.correlationId;
  }

  body(): unknown {
    if (this.html) return htmlErrorPage(this.status, this.message);
    return { status: 'error', message: this.message, correlationId: this.correlationId, ...this.fields };
  }
}

export const validationError = (message: string, fields: HubspotErrorFields = {}) =>
  new HubspotError(400, message, { category: 'VALIDATION_ERROR', ...fields });

export const invalidJson = (detail: string) =>
  validationError(`Invalid input JSON on line 1, column 1: ${detail}`);

export const propertyValuesError = (problems: PropertyProblem[]) =>
  `Property values were not valid: ${JSON.stringify(problems)}`;

export const credentialsNotFound = () =>
  new HubspotError(
    401,
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
    { category: 'INVALID_AUTHENTICATION' },
  );

export const tokenExpired = (secondsAgo: number) =>
  new HubspotError(401, `The OAuth token used to make this call expired ${secondsAgo} second(s) ago.`, {
    category: 'EXPIRED_AUTHENTICATION',
  });

export const objectNotFound = () =>
  new HubspotError(404, 'resource not found', { category: 'OBJECT_NOT_FOUND' });

/** 429 bodies carry `errorType` and `policyName`, not `category`. */
export function rateLimited(
  policy: HubspotPolicy,
  portalId: string,
  headers: Record<string, string> = {},
  html = false,
) {
  const message =
    policy === 'DAILY'
      ? 'You have reached your daily limit.'
      : 'You have reached your ten_secondly_rolling limit.';
  return new HubspotError(
    429,
    message,
    { errorType: 'RATE_LIMIT', policyName: policy, groupName: `publicapi:private-app:${portalId}` },
    { headers, html },
  );
}

/** How an injected fault looks coming from HubSpot. */
export function hubspotFaultError(fault: InjectedFault, portalId: string | undefined): HubspotError {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers['Retry-After'] = String(fault.retryAfterSeconds);
  const options = { headers, html: fault.html ?? false };
  switch (fault.status) {
    case 401:
      return new HubspotError(
        401,
        credentialsNotFound().message,
        { category: 'INVALID_AUTHENTICATION' },
        options,
      );
    case 403:
      return new HubspotError(
        403,
        "This app hasn't been granted all required scopes to make this call.",
        { category: 'MISSING_SCOPES' },
        options,
      );
    case 429:
      return rateLimited(
        fault.policyName ?? 'TEN_SECONDLY_ROLLING',
        portalId ?? 'unknown',
        headers,
        options.html,
      );
    case 500:
      return new HubspotError(500, 'internal error', { category: 'INTERNAL_ERROR' }, options);
    default:
      return new HubspotError(
        fault.status,
        'The service is temporarily unavailable',
        { category: 'SERVICE_UNAVAILABLE' },
        options,
      );
  }
}
