import type { SalesforceDml, SaveOptions } from './salesforce-dml.service';
import type { OrgData } from './salesforce-store.service';
import {
  SalesforceError,
  jsonParserError,
  resourceNotFound,
  type SalesforceRestError,
} from './salesforce.error';
import { createCollection, readCollection, upsertCollection } from './sobject-collections';
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

/** Most subrequests one Composite call may carry, and how many of them may be sObject Collections. */
const MAX_SUBREQUESTS = 25;
const MAX_COLLECTION_SUBREQUESTS = 5;
const REFERENCE_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
/**
 * `@{referenceId.field}` or `@{referenceId[index].field}` (a value in an earlier subrequest's answer, `[]`
 * indexing a JSON array such as a collection's results), as in a url or a body string.
 */
const REFERENCE = /@\{([A-Za-z][A-Za-z0-9_]*)((?:\[\d+\]|\.[A-Za-z0-9_]+)+)\}/g;
const STEP = /\[(\d+)\]|\.([A-Za-z0-9_]+)/g;
const SOBJECT_ROW = /^\/services\/data\/(v\d{2}\.0)\/sobjects\/([^/?]+)(?:\/([^/?]+)\/([^/?]+))?(?:\?(.*))?$/;
const SOBJECT_COLLECTION =
  /^\/services\/data\/(v\d{2}\.0)\/composite\/sobjects(?:\/([^/?]+)\/([^/?]+))?(?:\?.*)?$/;

const halted = (message: string): SalesforceRestError[] => [{ errorCode: 'PROCESSING_HALTED', message }];

/**
 * The Composite resource (`POST …/composite`) for the subrequests the sandbox serves: sObject create
 * (`POST …/sobjects/<type>`), upsert by external id (`PATCH …/sobjects/<type>/<field>/<value>`) and their
 * sObject Collections (`POST …/composite/sobjects`, `PATCH …/composite/sobjects/<type>/<field>`), in
 * order, each able to use a value of an earlier answer through `@{referenceId.field}` or
 * `@{referenceId[index].field}`. With `allOrNone` false a failed subrequest fails alone, and one that
 * refers to a failed answer or to a value it lacks (a record of a collection that failed) is not run at
 * all (PROCESSING_HALTED); with true, one failure rolls every subrequest back. The whole call is one API
 * request.
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

/** How many records the call writes, for the request log: a collection's records, one per other subrequest. */
export function compositeRecords(body: unknown): number | undefined {
  const subrequests = (body as { compositeRequest?: unknown } | null)?.compositeRequest;
  if (!Array.isArray(subrequests)) return undefined;
  return subrequests.reduce((sum: number, subrequest: unknown) => {
    const records = ((subrequest as { body?: { records?: unknown } } | null)?.body ?? {}).records;
    return sum + (Array.isArray(records) && isCollection(subrequest) ? records.length : 1);
  }, 0);
}

const isCollection = (subrequest: unknown) =>
  SOBJECT_COLLECTION.test(String((subrequest as { url?: unknown } | null)?.url ?? ''));

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
  const collection = SOBJECT_COLLECTION.exec(url);
  if (collection) {
    const [, version = '', type, field] = collection;
    if (method === 'POST' && type === undefined) {
      return { status: 200, body: createCollection(dml, org, version, readCollection(body), options) };
    }
    if (method === 'PATCH' && type !== undefined && field !== undefined) {
      return {
        status: 200,
        body: upsertCollection(dml, org, { version, type, field }, readCollection(body), options),
      };
    }
    throw resourceNotFound();
  }
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

/**
 * Replaces each reference with its value in that earlier answer. A failed or unknown answer, or no value
 * at that path (null, or a record of a collection that failed, which has no id), halts the subrequest.
 */
function resolve(text: string, answers: Map<string, CompositeSubresponse>): string {
  return text.replace(REFERENCE, (expression: string, referenceId: string, path: string) => {
    const earlier = answers.get(referenceId);
    const value = earlier && succeeded(earlier) ? valueAt(earlier.body, path) : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new SalesforceError(
        400,
        halted(`Invalid reference specified. No value for ${expression} found in ${referenceId}.`),
      );
    }
    return String(value);
  });
}

/** The value at a path of `[index]` and `.field` steps, undefined where the JSON has none. */
export function valueAt(json: unknown, path: string): unknown {
  let value = json;
  for (const [, index, field] of path.matchAll(STEP)) {
    if (index !== undefined) value = Array.isArray(value) ? value[Number(index)] : undefined;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value))
      value = (value as Record<string, unknown>)[field as string];
    else value = undefined;
  }
  return value;
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
  const collections = compositeRequest.filter(isCollection).length;
  if (collections > MAX_COLLECTION_SUBREQUESTS) {
    throw SalesforceError.of(
      400,
      'LIMIT_EXCEEDED',
      `Exceeded max limit of sObject Collections subrequests: ${MAX_COLLECTION_SUBREQUESTS} allowed, ${collections} sent`,
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
