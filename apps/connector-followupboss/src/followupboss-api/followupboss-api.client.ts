import {
  carriesLeadMarker,
  crmHttpExchange,
  parseJsonOrUndefined,
  type CallBudget,
  type LeadRef,
} from '@lead-delivery/connector-kit';
import type { FollowupbossCredentials } from '../accounts/followupboss-accounts';
import type { FubEvent } from '../event/followupboss-event.mapper';
import { FollowupbossApiError } from './followupboss-api.error';
import { followupbossRateLimitReport } from './followupboss-rate-limits';

/** POST /v1/events: 201 a new person, 200 an existing one (merged by email or phone), 204 source archived. */
export type PostEventResult = { outcome: 'created' | 'updated'; personId: string } | { outcome: 'archived' };

export interface ApiCall {
  signal: AbortSignal;
  /** The API key's call budget (a delivery's): a unit before each request. */
  budget: CallBudget;
}

/** The calls the connector makes; the integration tests run them against apps/crm-sandbox. */
export interface FollowupbossApi {
  postEvent(credentials: FollowupbossCredentials, event: FubEvent, call: ApiCall): Promise<PostEventResult>;
  /** The person holding the lead's event (its description carries the lead's marker), if any. Reads only. */
  findLeadEvent(
    credentials: FollowupbossCredentials,
    email: string,
    lead: LeadRef,
    call: ApiCall,
  ): Promise<string | undefined>;
}

/** The call of an erasure; the integration tests run it against apps/crm-sandbox. */
export interface FollowupbossErasureApi {
  /** DELETE /v1/people/:id (the person and its events); `gone` when Follow Up Boss no longer has it (404). */
  deletePerson(
    credentials: FollowupbossCredentials,
    personId: string,
    call: ApiCall,
  ): Promise<'deleted' | 'gone'>;
}

/** Most rows one list call returns. */
const PAGE_SIZE = 100;

interface Page {
  _metadata?: { total?: number };
  people?: { id: number | string }[];
  events?: { id: number | string; description?: string | null }[];
}

/**
 * Follow Up Boss over the kit's `crmHttpExchange` (node:http, not `fetch`): HTTP Basic with the account's API
 * key as user name and an empty password, the registered system's X-System / X-System-Key on every call. A
 * call that gets no answer throws the kit's CrmHttpError, an answer other than 2xx a FollowupbossApiError.
 */
export class FollowupbossClient implements FollowupbossApi, FollowupbossErasureApi {
  constructor(private readonly options: { timeoutMs: number }) {}

  async postEvent(
    credentials: FollowupbossCredentials,
    event: FubEvent,
    call: ApiCall,
  ): Promise<PostEventResult> {
    const body = { ...event, system: credentials.system };
    // The window the budget keeps is this call's (the one made per lead), so only its headers are reported.
    const { status, json } = await this.request<{ id?: number | string }>(
      credentials,
      'POST',
      '/v1/events',
      call,
      {
        body,
        report: true,
      },
    );
    if (status === 204) return { outcome: 'archived' };
    if (json?.id === undefined)
      throw new FollowupbossApiError(502, `HTTP ${status} without a person id`, null);
    return { outcome: status === 201 ? 'created' : 'updated', personId: String(json.id) };
  }

  async findLeadEvent(
    credentials: FollowupbossCredentials,
    email: string,
    lead: LeadRef,
    call: ApiCall,
  ): Promise<string | undefined> {
    const people = await this.request<Page>(
      credentials,
      'GET',
      `/v1/people?${new URLSearchParams({ email, fields: 'id', limit: String(PAGE_SIZE) })}`,
      call,
    );
    for (const { id } of people.json?.people ?? []) {
      const personId = String(id);
      for (let offset = 0; ; offset += PAGE_SIZE) {
        const query = new URLSearchParams({ personId, limit: String(PAGE_SIZE), offset: String(offset) });
        const page = (await this.request<Page>(credentials, 'GET', `/v1/events?${query}`, call)).json;
        const events = page?.events ?? [];
        if (events.some((event) => carriesLeadMarker(event.description, lead))) return personId;
        if (events.length < PAGE_SIZE || offset + PAGE_SIZE >= (page?._metadata?.total ?? 0)) break;
      }
    }
    return undefined;
  }

  async deletePerson(
    credentials: FollowupbossCredentials,
    personId: string,
    call: ApiCall,
  ): Promise<'deleted' | 'gone'> {
    try {
      // Reported like the event calls': its `global` context is the window the budget's default was taken from.
      await this.request(credentials, 'DELETE', `/v1/people/${encodeURIComponent(personId)}`, call, {
        report: true,
      });
      return 'deleted';
    } catch (error) {
      if (error instanceof FollowupbossApiError && error.status === 404) return 'gone';
      throw error;
    }
  }

  private async request<T>(
    { baseUrl, apiKey, system, systemKey }: FollowupbossCredentials,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    { signal, budget }: ApiCall,
    { body, report = false }: { body?: unknown; report?: boolean } = {},
  ): Promise<{ status: number; json: T | undefined }> {
    await budget.acquire();
    const answer = await crmHttpExchange(
      `${baseUrl}${path}`,
      {
        method,
        headers: {
          Authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`,
          'X-System': system,
          ...(systemKey ? { 'X-System-Key': systemKey } : {}),
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      { timeoutMs: this.options.timeoutMs, signal },
    );
    if (report) budget.report(followupbossRateLimitReport(answer.headers));
    if (answer.status < 200 || answer.status > 299) {
      throw new FollowupbossApiError(
        answer.status,
        `${method} ${path.split('?')[0]}: HTTP ${answer.status}: ${errorMessageOf(answer.body)}`,
        answer.headers.get('retry-after'),
      );
    }
    if (!answer.body) return { status: answer.status, json: undefined };
    const json = parseJsonOrUndefined(answer.body);
    // A success whose answer cannot be read (cut short, a proxy's page) is the CRM's fault, not the lead's.
    if (json === undefined) {
      throw new FollowupbossApiError(
        502,
        `${method} ${path.split('?')[0]}: HTTP ${answer.status} with a body that is not JSON`,
        null,
      );
    }
    return { status: answer.status, json: json as T };
  }
}

/** Follow Up Boss's `{ "errorMessage": ... }`, else the start of the body (never the request's data). */
function errorMessageOf(text: string): string {
  const { errorMessage } = (parseJsonOrUndefined(text) ?? {}) as { errorMessage?: unknown };
  return (typeof errorMessage === 'string' ? errorMessage : text).slice(0, 200);
}
