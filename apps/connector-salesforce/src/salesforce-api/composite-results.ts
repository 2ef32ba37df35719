import { SalesforceApiError } from './salesforce-api.error';
import type { SaveResult } from './salesforce-api.client';

/**
 * The subrequests' results of a Composite answer (`{compositeResponse: [{referenceId, httpStatusCode,
 * body}]}`), by referenceId, as save results: a 2xx answer carries one (`{id, success, created?}`), a
 * failed one a REST error list (`[{errorCode, message, fields}]`), which collections name `statusCode`.
 */
export function readCompositeResults(body: string, sharedOrg: boolean): Map<string, SaveResult> {
  const unexpected = (problem: string) =>
    new SalesforceApiError(
      502,
      'UNEXPECTED_RESPONSE',
      `composite answer: ${problem}`,
      'data',
      null,
      sharedOrg,
    );
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    throw unexpected('not JSON');
  }
  const responses = (answer as { compositeResponse?: unknown } | null)?.compositeResponse;
  if (!Array.isArray(responses)) throw unexpected('no compositeResponse');
  const results = new Map<string, SaveResult>();
  for (const response of responses) {
    const { referenceId, httpStatusCode, body: result } = (response ?? {}) as Record<string, unknown>;
    if (typeof referenceId !== 'string' || typeof httpStatusCode !== 'number') continue;
    results.set(referenceId, saveResultOf(httpStatusCode, result));
  }
  return results;
}

function saveResultOf(status: number, body: unknown): SaveResult {
  if (status >= 200 && status < 300) {
    const { id, created } = (body ?? {}) as { id?: unknown; created?: unknown };
    return {
      ...(typeof id === 'string' ? { id } : {}),
      success: true,
      ...(typeof created === 'boolean' ? { created } : {}),
      errors: [],
    };
  }
  const errors = (Array.isArray(body) ? body : []).map((error: unknown) => {
    const { errorCode, message, fields } = (error ?? {}) as Record<string, unknown>;
    return {
      statusCode: typeof errorCode === 'string' ? errorCode : 'UNKNOWN_EXCEPTION',
      message: typeof message === 'string' ? message : `HTTP ${status}`,
      ...(Array.isArray(fields) ? { fields: fields.filter((field) => typeof field === 'string') } : {}),
    };
  });
  return {
    success: false,
    errors: errors.length > 0 ? errors : [{ statusCode: 'UNKNOWN_EXCEPTION', message: `HTTP ${status}` }],
  };
}
