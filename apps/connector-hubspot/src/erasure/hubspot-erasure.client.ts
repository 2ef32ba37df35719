import { Client } from '@hubspot/api-client';
import type { HubspotCredentials } from '../accounts/hubspot-accounts';
import type { HubspotPortal } from '../hubspot-api/hubspot-api.client';
import { HubspotNetworkError, fromSdkError, hubspotErrorOf } from '../hubspot-api/hubspot-api.error';
import { headersOf, hubspotRateLimitReport } from '../hubspot-api/hubspot-rate-limits';
import {
  readAssociationsPage,
  readNotes,
  type AssociationsAnswer,
  type NotesAnswer,
} from '../hubspot-api/note-lookup';

/** A contact's notes: id and body. */
export interface ContactNote {
  id: string;
  body: string;
}

/** The calls of an erasure; the integration tests run them against apps/crm-sandbox. */
export interface HubspotErasureApi {
  /** GDPR delete of a contact (and its engagements); `gone` when HubSpot no longer has it. */
  gdprDeleteContact(
    portal: HubspotPortal,
    contactId: string,
    signal: AbortSignal,
  ): Promise<'deleted' | 'gone'>;
  /** Every note associated with the contact, with its body. */
  notesOf(portal: HubspotPortal, contactId: string, signal: AbortSignal): Promise<ContactNote[]>;
  /** Notes batch archive (≤ 100 ids). */
  archiveNotes(portal: HubspotPortal, noteIds: string[], signal: AbortSignal): Promise<void>;
  /** Sets the properties to empty (HubSpot clears a property given ""); `gone` when the contact is not there. */
  blankContact(
    portal: HubspotPortal,
    contactId: string,
    properties: string[],
    signal: AbortSignal,
  ): Promise<'blanked' | 'gone'>;
}

const ARCHIVE_LIMIT = 100;

/**
 * HubSpot erasure calls through @hubspot/api-client's `apiRequest` (one client per portal, built like the
 * delivery client's, its retries and limiter off): POST /crm/v3/objects/contacts/gdpr-delete (204),
 * v4 associations and notes batch reads, POST /crm/v3/objects/notes/batch/archive (204) and
 * PATCH /crm/v3/objects/contacts/{id}.
 */
export class HubspotErasureClient implements HubspotErasureApi {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: { timeoutMs: number }) {}

  async gdprDeleteContact(portal: HubspotPortal, contactId: string, signal: AbortSignal) {
    const answer = await this.request(portal, signal, 'POST', '/crm/v3/objects/contacts/gdpr-delete', {
      objectId: contactId,
    });
    if (answer.status === 204 || answer.status === 200) return 'deleted' as const;
    if (answer.status === 404) return 'gone' as const;
    throw this.errorOf(portal, answer);
  }

  async notesOf(portal: HubspotPortal, contactId: string, signal: AbortSignal): Promise<ContactNote[]> {
    const noteIds: string[] = [];
    let after: string | undefined;
    do {
      const answer = await this.request(
        portal,
        signal,
        'POST',
        '/crm/v4/associations/contacts/notes/batch/read',
        {
          inputs: [{ id: contactId, ...(after ? { after } : {}) }],
        },
      );
      if (answer.status !== 200 && answer.status !== 207) throw this.errorOf(portal, answer);
      type RawResult = NonNullable<AssociationsAnswer['results']>[number] & { from?: { id?: string } };
      const body = (answer.body ?? {}) as Omit<AssociationsAnswer, 'results'> & { results?: RawResult[] };
      // The raw answer names the contact `from`; readAssociationsPage reads the SDK's `_from`.
      const page = readAssociationsPage([contactId], {
        ...body,
        results: (body.results ?? []).map((result) => ({ ...result, _from: result.from ?? result._from })),
      });
      const failure = page.failed.get(contactId);
      if (failure) throw hubspotErrorOf(502, failure, null, portal.sharedPortal);
      noteIds.push(...(page.noteIds.get(contactId) ?? []));
      after = page.next[0]?.after;
    } while (after !== undefined);

    const notes: ContactNote[] = [];
    for (let start = 0; start < noteIds.length; start += ARCHIVE_LIMIT) {
      const ids = noteIds.slice(start, start + ARCHIVE_LIMIT);
      const answer = await this.request(portal, signal, 'POST', '/crm/v3/objects/notes/batch/read', {
        inputs: ids.map((id) => ({ id })),
        properties: ['hs_note_body'],
      });
      if (answer.status !== 200 && answer.status !== 207) throw this.errorOf(portal, answer);
      const read = readNotes(ids, answer.body as NotesAnswer);
      const [failure] = read.failed.values();
      if (failure) throw hubspotErrorOf(502, failure, null, portal.sharedPortal);
      for (const [id, body] of read.bodies) notes.push({ id, body });
    }
    return notes;
  }

  async archiveNotes(portal: HubspotPortal, noteIds: string[], signal: AbortSignal): Promise<void> {
    for (let start = 0; start < noteIds.length; start += ARCHIVE_LIMIT) {
      const inputs = noteIds.slice(start, start + ARCHIVE_LIMIT).map((id) => ({ id }));
      const answer = await this.request(portal, signal, 'POST', '/crm/v3/objects/notes/batch/archive', {
        inputs,
      });
      if (answer.status !== 204) throw this.errorOf(portal, answer);
    }
  }

  async blankContact(portal: HubspotPortal, contactId: string, properties: string[], signal: AbortSignal) {
    const answer = await this.request(
      portal,
      signal,
      'PATCH',
      `/crm/v3/objects/contacts/${encodeURIComponent(contactId)}`,
      { properties: Object.fromEntries(properties.map((name) => [name, ''])) },
    );
    if (answer.status === 200) return 'blanked' as const;
    if (answer.status === 404) return 'gone' as const;
    throw this.errorOf(portal, answer);
  }

  private errorOf(
    portal: HubspotPortal,
    answer: { status: number; body: unknown; retryAfter: string | null },
  ) {
    return hubspotErrorOf(answer.status, answer.body, answer.retryAfter, portal.sharedPortal);
  }

  /**
   * One call with the portal's client, once the portal's call budget gave it a unit, bounded by the timeout
   * and by `signal` (shutdown); reports the answer's rate-limit headers, an error answer's included.
   */
  private async request(
    portal: HubspotPortal,
    signal: AbortSignal,
    method: 'POST' | 'PATCH',
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
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
    const call = async () => {
      const response = await this.clientOf(portal.credentials).apiRequest({ method, path, body });
      portal.budget?.report(hubspotRateLimitReport(headersOf(response.headers)));
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
    };
    try {
      return await Promise.race([
        call().catch((error: unknown) => {
          throw fromSdkError(error, portal.sharedPortal);
        }),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  private clientOf({ accessToken, baseUrl }: HubspotCredentials): Client {
    const key = `${baseUrl} ${accessToken}`;
    let client = this.clients.get(key);
    if (!client) {
      // As the delivery client: no numberOfApiCallRetries / limiterOptions (the SDK's decorators are process-wide).
      client = new Client({ accessToken, basePath: baseUrl });
      this.clients.set(key, client);
    }
    return client;
  }
}
