import {
  CrmHttpError,
  crmHttpExchange,
  parseJsonOrUndefined,
  type CrmHttpAnswer,
} from '@lead-delivery/connector-kit';
import type { HubspotPortal } from '../hubspot-api/hubspot-api.client';
import { HubspotNetworkError, hubspotErrorOf } from '../hubspot-api/hubspot-api.error';
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
 * HubSpot erasure calls as plain requests over the kit's `crmHttpExchange` (node:http, not `fetch`), with
 * the portal's token as a bearer token: POST /crm/v3/objects/contacts/gdpr-delete (204), v4 associations
 * and notes batch reads, POST /crm/v3/objects/notes/batch/archive (204) and
 * PATCH /crm/v3/objects/contacts/{id}.
 */
export class HubspotErasureClient implements HubspotErasureApi {
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
   * One call, once the portal's call budget gave it a unit, bounded by the timeout and by `signal`
   * (shutdown); reports the answer's rate-limit headers, an error answer's included.
   */
  private async request(
    portal: HubspotPortal,
    signal: AbortSignal,
    method: 'POST' | 'PATCH',
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
    await portal.budget?.acquire();
    const { accessToken, baseUrl } = portal.credentials;
    let answer: CrmHttpAnswer;
    try {
      answer = await crmHttpExchange(
        `${baseUrl}${path}`,
        {
          method,
          headers: {
            Authorization: `Bearer ${accessToken}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify(body),
        },
        { timeoutMs: this.options.timeoutMs, signal },
      );
    } catch (error) {
      if (error instanceof CrmHttpError) throw new HubspotNetworkError(error.reason, error.message);
      throw error;
    }
    portal.budget?.report(hubspotRateLimitReport(headersOf(answer.headers)));
    return {
      status: answer.status,
      body: parseJsonOrUndefined(answer.body),
      retryAfter: answer.headers.get('retry-after'),
    };
  }
}
