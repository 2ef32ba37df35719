import { parseJsonOrUndefined } from '@lead-delivery/connector-kit';
import { SalesforceApiError } from './salesforce-api.error';
import type { SaveResult } from './salesforce-api.client';

/**
 * The results of a Composite answer's sObject Collections subrequests (`{compositeResponse: [{referenceId,
 * httpStatusCode, body}]}`), one list per referenceId with `count` entries, in order: a 2xx subrequest
 * answers a collection's save results; a failed one (its records not saved, e.g. PROCESSING_HALTED when it
 * refers to a Lead that failed) a REST error list (`[{errorCode, message, fields}]`), given to each of its
 * records with collections' name for the code, `statusCode`; a subrequest with no answer leaves them
 * undefined.
 */
export function readCompositeCollections<Reference extends string>(
  body: string,
  counts: Record<Reference, number>,
  sharedOrg: boolean,
): Record<Reference, (SaveResult | undefined)[]> {
  const unexpected = (problem: string) =>
    new SalesforceApiError(
      502,
      'UNEXPECTED_RESPONSE',
      `composite answer: ${problem}`,
      'data',
      null,
      sharedOrg,
    );
  const answer = parseJsonOrUndefined(body);
  if (answer === undefined) throw unexpected('not JSON');
  const responses = (answer as { compositeResponse?: unknown } | null)?.compositeResponse;
  if (!Array.isArray(responses)) throw unexpected('no compositeResponse');
  const byReference = new Map<unknown, Record<string, unknown>>(
    responses.map((response: unknown) => {
      const fields = (response ?? {}) as Record<string, unknown>;
      return [fields['referenceId'], fields];
    }),
  );
  const results = {} as Record<Reference, (SaveResult | undefined)[]>;
  for (const [referenceId, count] of Object.entries(counts) as [Reference, number][]) {
    const response = byReference.get(referenceId);
    const status = response?.['httpStatusCode'];
    if (typeof status !== 'number') {
      results[referenceId] = Array.from({ length: count }, () => undefined);
    } else if (status < 200 || status >= 300) {
      const failure = failureOf(status, response?.['body']);
      results[referenceId] = Array.from({ length: count }, () => failure);
    } else {
      const saved = response?.['body'];
      if (!Array.isArray(saved) || saved.length !== count) {
        throw unexpected(
          `${referenceId}: expected ${count} results, got ${Array.isArray(saved) ? saved.length : 'no list'}`,
        );
      }
      results[referenceId] = saved as SaveResult[];
    }
  }
  return results;
}

function failureOf(status: number, body: unknown): SaveResult {
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
