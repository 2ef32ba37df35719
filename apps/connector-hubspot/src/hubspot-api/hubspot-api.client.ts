import { Client } from '@hubspot/api-client';
import {
  crmHttpAgent,
  crmHttpExchange,
  parseJsonOrUndefined,
  type CallBudget,
} from '@lead-delivery/connector-kit';
import type {
  BatchResponseSimplePublicUpsertObjectWithErrors,
  SimplePublicObjectBatchInputUpsert,
} from '@hubspot/api-client/lib/codegen/crm/contacts';
import type { HubspotCredentials } from '../accounts/hubspot-accounts';
import type { HubspotProperties } from '../contact/hubspot-contact.mapper';
import {
  HubspotApiError,
  HubspotNetworkError,
  fromSdkError,
  hubspotErrorOf,
  type HubspotItemError,
} from './hubspot-api.error';
import { headersOf, hubspotRateLimitReport } from './hubspot-rate-limits';
import { readAssociationsPage, readNotes, type AssociationsAnswer, type NotesAnswer } from './note-lookup';

/**
 * A portal the connector writes to: its token, whether every account without its own shares it, and the
 * portal's call budget during a delivery or an erasure (each request takes a unit first and reports the
 * rate-limit headers after).
 */
export interface HubspotPortal {
  credentials: HubspotCredentials;
  sharedPortal: boolean;
  budget?: CallBudget;
}

/** An answer's body and headers (the SDK's `*WithHttpInfo` calls, or a raw response). */
interface Answer<T> {
  data: T;
  headers: Headers | Record<string, string>;
}

type ItemFailure = { ok: false; error: HubspotItemError };

export type ItemResult = { ok: true; id: string } | ItemFailure;

/** A contact upsert's result: `created` when HubSpot made a new contact (`new` in its answer). */
export type UpsertResult = { ok: true; id: string; created: boolean } | ItemFailure;

/** The bodies (`hs_note_body`) of the notes associated with a contact, or why HubSpot did not tell them. */
export type ContactNotes = { ok: true; bodies: string[] } | ItemFailure;

export interface NoteInput {
  contactId: string;
  properties: HubspotProperties;
}

/** The calls the connector makes; the integration tests run them against apps/crm-sandbox. */
export interface HubspotApi {
  /** Contacts batch upsert by email; one result per input, in input order (HubSpot shuffles them). */
  upsertContacts(
    portal: HubspotPortal,
    contacts: { email: string; properties: HubspotProperties }[],
    signal: AbortSignal,
  ): Promise<UpsertResult[]>;
  /**
   * The notes of each contact, in input order: the contacts' note associations (v4 batch read, every
   * page), then the notes' bodies (batch read, ≤ 100 per call). Reads only: a failure never writes.
   */
  notesOfContacts(portal: HubspotPortal, contactIds: string[], signal: AbortSignal): Promise<ContactNotes[]>;
  /** Notes batch create, each associated with its contact (type 202); one result per input, in input order. */
  createNotes(portal: HubspotPortal, notes: NoteInput[], signal: AbortSignal): Promise<ItemResult[]>;
}

/** HubSpot's association type of a note to a contact (`AssociationTypes.noteToContact`). */
const NOTE_TO_CONTACT = 202;
/** Most inputs one batch call may carry. */
export const BATCH_LIMIT = 100;
/** Most ids one v4 associations batch read may carry (changelog, 2025-02-10). */
const ASSOCIATIONS_READ_LIMIT = 1_000;

type BatchResult = NonNullable<BatchAnswer['results']>[number] & { id: string };

interface BatchAnswer {
  results?: { id?: string; objectWriteTraceId?: string; _new?: boolean }[];
  errors?: { category?: string; message?: string; context?: Record<string, string[]> }[];
}

/**
 * HubSpot through @hubspot/api-client 14: the typed contacts batch upsert and the typed reads of the notes
 * already on contacts (v4 associations batch read, notes batch read), and the notes batch create as a plain
 * request (the SDK's notes model drops `objectWriteTraceId`, without which results cannot be matched to
 * inputs). Every call goes over node:http, not `fetch` (see the kit's `crmHttpExchange`): the SDK's typed
 * clients do when given an `httpAgent`; its `apiRequest` would always fetch, so the notes create goes through
 * the kit's exchange. The SDK's retries and limiter stay off: connector-kit owns both.
 * Each input carries an `objectWriteTraceId` (its position), so HubSpot answers a bad input with a
 * per-input error (207) instead of failing the whole call.
 */
export class HubspotClient implements HubspotApi {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: { timeoutMs: number }) {}

  async upsertContacts(
    portal: HubspotPortal,
    contacts: { email: string; properties: HubspotProperties }[],
    signal: AbortSignal,
  ): Promise<UpsertResult[]> {
    const inputs: SimplePublicObjectBatchInputUpsert[] = contacts.map((contact, index) => ({
      id: contact.email,
      idProperty: 'email',
      objectWriteTraceId: String(index),
      properties: contact.properties,
    }));
    const answer = (await this.call(portal, signal, (client) =>
      client.crm.contacts.batchApi.upsertWithHttpInfo({ inputs }),
    )) as BatchResponseSimplePublicUpsertObjectWithErrors;
    return matchToInputs(contacts.length, answer, ({ id, _new }) => ({
      ok: true as const,
      id,
      created: _new === true,
    }));
  }

  async notesOfContacts(
    portal: HubspotPortal,
    contactIds: string[],
    signal: AbortSignal,
  ): Promise<ContactNotes[]> {
    const noteIds = new Map<string, string[]>(contactIds.map((id) => [id, []]));
    const failed = new Map<string, HubspotItemError>();
    let pending: { id: string; after?: string }[] = [...noteIds.keys()].map((id) => ({ id }));
    while (pending.length > 0) {
      const following: { id: string; after: string }[] = [];
      for (const inputs of chunks(pending, ASSOCIATIONS_READ_LIMIT)) {
        const answer = (await this.call(portal, signal, (client) =>
          client.crm.associations.v4.batchApi.getPageWithHttpInfo('contacts', 'notes', { inputs }),
        )) as AssociationsAnswer;
        const page = readAssociationsPage(
          inputs.map(({ id }) => id),
          answer,
        );
        for (const [id, ids] of page.noteIds) noteIds.get(id)?.push(...ids);
        for (const [id, error] of page.failed) failed.set(id, error);
        following.push(...page.next);
      }
      pending = following;
    }

    const wanted = [...new Set([...noteIds].flatMap(([id, ids]) => (failed.has(id) ? [] : ids)))];
    const bodies = new Map<string, string>();
    const unread = new Map<string, HubspotItemError>();
    for (const ids of chunks(wanted, BATCH_LIMIT)) {
      const answer = (await this.call(portal, signal, (client) =>
        client.crm.objects.notes.batchApi.readWithHttpInfo(
          { inputs: ids.map((id) => ({ id })), properties: ['hs_note_body'], propertiesWithHistory: [] },
          false,
        ),
      )) as NotesAnswer;
      const read = readNotes(ids, answer);
      for (const [id, body] of read.bodies) bodies.set(id, body);
      for (const [id, error] of read.failed) unread.set(id, error);
    }

    return contactIds.map((id): ContactNotes => {
      const ids = noteIds.get(id) ?? [];
      const error = failed.get(id) ?? ids.map((noteId) => unread.get(noteId)).find(Boolean);
      if (error) return { ok: false, error };
      return { ok: true, bodies: ids.flatMap((noteId) => bodies.get(noteId) ?? []) };
    });
  }

  async createNotes(portal: HubspotPortal, notes: NoteInput[], signal: AbortSignal): Promise<ItemResult[]> {
    const inputs = notes.map((note, index) => ({
      properties: note.properties,
      associations: [
        {
          to: { id: note.contactId },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_CONTACT }],
        },
      ],
      objectWriteTraceId: String(index),
    }));
    const { accessToken, baseUrl } = portal.credentials;
    const answer = await this.call(portal, signal, async () => {
      const response = await crmHttpExchange(
        `${baseUrl}/crm/v3/objects/notes/batch/create`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${accessToken}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify({ inputs }),
        },
        // The call's own bound and shutdown are the race in `call`; this one only ends the socket after it.
        { timeoutMs: this.options.timeoutMs, signal },
      );
      const body = parseJsonOrUndefined(response.body);
      if (response.status !== 201 && response.status !== 207) {
        throw hubspotErrorOf(
          response.status,
          body,
          response.headers.get('retry-after'),
          portal.sharedPortal,
          {
            headers: response.headers,
          },
        );
      }
      return { data: body as BatchAnswer, headers: response.headers };
    });
    return matchToInputs(notes.length, answer, ({ id }) => ({ ok: true as const, id }));
  }

  /**
   * Runs one HTTP request with the portal's client, once the portal's budget gave it a unit, bounded by the
   * timeout and by `signal` (shutdown); reports the answer's rate-limit headers, an error's included.
   */
  private async call<T>(
    portal: HubspotPortal,
    signal: AbortSignal,
    request: (client: Client) => Promise<Answer<T>>,
  ): Promise<T> {
    await portal.budget?.acquire();
    const { timeoutMs } = this.options;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HubspotNetworkError('timeout', `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      onAbort = () => reject(new HubspotNetworkError('aborted', 'the call was abandoned at shutdown'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const answer = await Promise.race([
        request(this.clientOf(portal.credentials)).catch((error: unknown) => {
          const failure = fromSdkError(error, portal.sharedPortal);
          if (failure instanceof HubspotApiError && failure.headers) {
            portal.budget?.report(hubspotRateLimitReport(headersOf(failure.headers)));
          }
          throw failure;
        }),
        deadline,
      ]);
      portal.budget?.report(hubspotRateLimitReport(headersOf(answer.headers)));
      return answer.data;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  private clientOf({ accessToken, baseUrl }: HubspotCredentials): Client {
    const key = `${baseUrl} ${accessToken}`;
    let client = this.clients.get(key);
    if (!client) {
      // No numberOfApiCallRetries / limiterOptions: each new Client resets the SDK's process-wide
      // decorators, so every client must leave them off alike.
      client = new Client({ accessToken, basePath: baseUrl, httpAgent: crmHttpAgent(baseUrl) });
      this.clients.set(key, client);
    }
    return client;
  }
}

/** Orders a batch answer by input position: results and errors carry the input's `objectWriteTraceId`. */
function matchToInputs<Ok extends { ok: true }>(
  count: number,
  answer: BatchAnswer,
  toOk: (result: BatchResult) => Ok,
): (Ok | ItemFailure)[] {
  const results: (Ok | ItemFailure)[] = Array.from({ length: count }, () => ({
    ok: false,
    error: { category: 'MISSING_RESULT', message: 'HubSpot returned no result for this input' },
  }));
  for (const error of answer.errors ?? []) {
    for (const traceId of error.context?.['objectWriteTraceId'] ?? []) {
      const index = Number(traceId);
      if (Number.isInteger(index) && index >= 0 && index < count) {
        results[index] = {
          ok: false,
          error: { category: error.category ?? 'UNKNOWN', message: error.message ?? 'no message' },
        };
      }
    }
  }
  for (const result of answer.results ?? []) {
    const index = Number(result.objectWriteTraceId);
    if (result.id && Number.isInteger(index) && index >= 0 && index < count) {
      results[index] = toOk({ ...result, id: result.id });
    }
  }
  return results;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}
