import type { FollowupbossRecord } from '../record/followupboss-record.mapper';
import { FollowupbossApiError } from './followupboss-api.error';

/** One record's result in a batch answer: the CRM's record id, or why it refused the record. */
export interface UpsertResult {
  ok: boolean;
  id?: string;
  error?: { code: string; message: string };
}

/** The calls the connector makes. */
export interface FollowupbossApi {
  /** Upserts by `externalId`; one result per record, in input order. */
  upsertRecords(records: FollowupbossRecord[], signal: AbortSignal): Promise<UpsertResult[]>;
}

export interface FollowupbossClientOptions {
  baseUrl: string;
  apiToken: string;
  timeoutMs: number;
}

/**
 * A thin typed client over fetch. It assumes a JSON batch upsert (`POST /v1/records/batch-upsert`,
 * `{ records }` → `{ results }`): replace the path, the body and the answer with the CRM's own batch API.
 */
export class FollowupbossClient implements FollowupbossApi {
  constructor(private readonly options: FollowupbossClientOptions) {}

  async upsertRecords(records: FollowupbossRecord[], signal: AbortSignal): Promise<UpsertResult[]> {
    const response = await fetch(`${this.options.baseUrl}/v1/records/batch-upsert`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.options.apiToken}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ idProperty: 'externalId', records }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new FollowupbossApiError(
        response.status,
        `HTTP ${response.status}: ${text.slice(0, 200)}`,
        response.headers.get('retry-after'),
      );
    }
    const { results } = JSON.parse(text) as { results?: UpsertResult[] };
    if (!Array.isArray(results) || results.length !== records.length) {
      throw new FollowupbossApiError(502, `expected ${records.length} results`, null);
    }
    return results;
  }
}
