import type { SalesforceDml, SaveOptions } from './salesforce-dml.service';
import type { OrgData } from './salesforce-store.service';
import {
  SalesforceError,
  jsonParserError,
  resourceNotFound,
  type SalesforceRestError,
} from './salesforce.error';
import { createRow, upsertRow, type RowAnswer } from './sobject-rows';

/** One subrequest's answer in a Composite response. */
export interface CompositeSubresponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
}

/** Most subrequests one Composite call may carry. */
const MAX_SUBREQUESTS = 25;
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
/** `@{referenceId.field}` (a field of an earlier subrequest's answer), as in a url or a body string. */
const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z0-9_]+)\}/g;
const SOBJECT_ROW = /^\/services\/data\/(v\d{2}\.0)\/sobjects\/([^/?]+)(?:\/([^/?]+)\/([^/?]+))?(?:\?(.*))?$/;

const halted = (message: string): SalesforceRestError[] => [{ errorCode: 'PROCESSING_HALTED', message }];

/**
 * The Composite resource (`POST …/composite`) for the subrequests the sandbox serves: sObject create
 * (`POST …/sobjects/<type>`) and upsert by external id (`PATCH …/sobjects/<type>/<field>/<value>`), in
 * order, each able to use a field of an earlier answer through `@{referenceId.field}`. With `allOrNone`
 * false a failed subrequest fails alone, and those that refer to it are not run (PROCESSING_HALTED);
 * with true, one failure rolls every subrequest back. The whole call is one API request.
 */
export function runComposite(
  dml: SalesforceDml,
  org: OrgData,
  body: unknown,
  options: SaveOptions,
): CompositeSubresponse[] {
  const { subrequests, allOrNone } = readComposite(body);
  const restore = allOrNone ? org.snapshot() : undefined;
  const answers = new Map<string, CompositeSubresponse>();
  const responses = subrequests.map((subrequest) => {
    const response = run(dml, org, subrequest, answers, options);
    answers.set(subrequest.referenceId, response);
    return response;
  });
  if (!restore || responses.every(succeeded)) return responses;
  restore();
  return responses.map((response) =>
    succeeded(response)
      ? {
          ...response,
          httpStatusCode: 400,
          body: halted(
            'The transaction was rolled back since another operation in the same transaction failed.',
          ),
        }
      : response,
  );
}

/** How many records the call writes, for the request log. */
export const compositeRecords = (body: unknown) =>
  Array.isArray((body as { compositeRequest?: unknown } | null)?.compositeRequest)
    ? (body as { compositeRequest: unknown[] }).compositeRequest.length
    : undefined;

const succeeded = (response: CompositeSubresponse) =>
  response.httpStatusCode >= 200 && response.httpStatusCode < 300;

function run(
  dml: SalesforceDml,
  org: OrgData,
  subrequest: Subrequest,
  answers: Map<string, CompositeSubresponse>,
  options: SaveOptions,
): CompositeSubresponse {
  const { referenceId } = subrequest;
  const answer = (status: number, body: unknown): CompositeSubresponse => ({
    body: body ?? null,
    httpHeaders: {},
    httpStatusCode: status,
    referenceId,
  });
  let url: string;
  let body: unknown;
  try {
    url = resolve(subrequest.url, answers);
    body = resolveIn(subrequest.body, answers);
  } catch (error) {
    if (error instanceof SalesforceError) return answer(error.status, error.errors);
    throw error;
  }
  try {
    const row = route(dml, org, subrequest.method, url, body, options);
    return answer(row.status, row.body);
  } catch (error) {
    if (error instanceof SalesforceError) return answer(error.status, error.errors);
    throw error;
  }
}

function route(
  dml: SalesforceDml,
  org: OrgData,
  method: string,
  url: string,
  body: unknown,
  options: SaveOptions,
): RowAnswer {
  const match = SOBJECT_ROW.exec(url);
  if (!match) throw resourceNotFound();
  const [, version = '', type = '', field, value, query = ''] = match;
  if (method === 'POST' && field === undefined) return createRow(dml, org, type, body, options);
  if (method === 'PATCH' && field !== undefined && value !== undefined) {
    const updateOnly = new URLSearchParams(query).get('updateOnly') === 'true';
    return upsertRow(
      dml,
      org,
      { type, field, value: decodeURIComponent(value), body, version, updateOnly },
      options,
    );
  }
  throw resourceNotFound();
}

/** Replaces each `@{ref.field}` with the field of that earlier answer; a failed or unknown one halts. */
function resolve(text: string, answers: Map<string, CompositeSubresponse>): string {
  return text.replace(REFERENCE, (expression: string, referenceId: string, field: string) => {
    const earlier = answers.get(referenceId);
    const value =
      earlier && succeeded(earlier) ? (earlier.body as Record<string, unknown> | null)?.[field] : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new SalesforceError(
        400,
        halted(`Invalid reference specified. No value for ${expression} found in ${referenceId}.`),
      );
    }
    return String(value);
  });
}

function resolveIn(value: unknown, answers: Map<string, CompositeSubresponse>): unknown {
  if (typeof value === 'string') return resolve(value, answers);
  if (Array.isArray(value)) return value.map((item) => resolveIn(item, answers));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveIn(item, answers)]));
  }
  return value;
}

function readComposite(body: unknown): { subrequests: Subrequest[]; allOrNone: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw jsonParserError('Cannot deserialize the request body: expected {"compositeRequest": […]}');
  }
  const { compositeRequest, allOrNone = false } = body as { compositeRequest?: unknown; allOrNone?: unknown };
  if (typeof allOrNone !== 'boolean')
    throw jsonParserError(`allOrNone: expected true or false, got ${JSON.stringify(allOrNone)}`);
  if (!Array.isArray(compositeRequest) || compositeRequest.length === 0) {
    throw SalesforceError.of(400, 'INVALID_INPUT', 'compositeRequest: expected a list of subrequests');
  }
  if (compositeRequest.length > MAX_SUBREQUESTS) {
    throw SalesforceError.of(
      400,
      'LIMIT_EXCEEDED',
      `Exceeded max limit of subrequests: ${MAX_SUBREQUESTS} allowed, ${compositeRequest.length} sent`,
    );
  }
  const seen = new Set<string>();
  const subrequests = compositeRequest.map((item: unknown, index): Subrequest => {
    const { method, url, referenceId, body: subrequestBody } = (item ?? {}) as Record<string, unknown>;
    if (typeof method !== 'string' || typeof url !== 'string' || typeof referenceId !== 'string') {
      throw SalesforceError.of(
        400,
        'INVALID_INPUT',
        `compositeRequest[${index}]: method, url and referenceId are required`,
      );
    }
    if (!REFERENCE_ID.test(referenceId) || seen.has(referenceId)) {
      throw SalesforceError.of(
        400,
        'INVALID_INPUT',
        `compositeRequest[${index}]: referenceId ${referenceId} is not a unique name of letters, digits and underscores`,
      );
    }
    seen.add(referenceId);
    return { method, url, referenceId, body: subrequestBody };
  });
  return { subrequests, allOrNone };
}
