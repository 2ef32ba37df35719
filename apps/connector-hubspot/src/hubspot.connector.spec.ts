import { anEnrichedLead } from '@lead-delivery/testing';
import { ConnectorError, isNothingWritten, type DeliveryRecord } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  DEFAULT_LEAD_STATUS,
  DEFAULT_LIFECYCLE_STAGE,
  HubspotAccounts,
  type HubspotAccount,
} from './accounts/hubspot-accounts';
import type { HubspotContactRecord, HubspotProperties } from './contact/hubspot-contact.mapper';
import type {
  ContactNotes,
  HubspotApi,
  ItemResult,
  NoteInput,
  UpsertResult,
} from './hubspot-api/hubspot-api.client';
import { HubspotApiError, HubspotNetworkError } from './hubspot-api/hubspot-api.error';
import { HubspotConnector } from './hubspot.connector';

/** Records the calls and answers like a portal would: one contact per email, its notes, failures on demand. */
class RecordingApi implements HubspotApi {
  readonly upserts: { email: string; properties: HubspotProperties }[][] = [];
  readonly lookups: string[][] = [];
  readonly notes: NoteInput[][] = [];
  readonly refusedEmails = new Set<string>();
  /** Thrown by the next notes calls: before HubSpot writes (a refusal), or after (the answer is lost). */
  failNotesCall: { error: Error; afterWriting: boolean } | undefined;
  failLookupCall: Error | undefined;
  readonly unreadableContacts = new Set<string>();
  readonly stored = new Map<string, string[]>();
  private readonly ids = new Map<string, string>();

  async upsertContacts(
    _portal: unknown,
    contacts: { email: string; properties: HubspotProperties }[],
  ): Promise<UpsertResult[]> {
    this.upserts.push(contacts);
    return contacts.map(({ email }) => {
      if (this.refusedEmails.has(email)) {
        return {
          ok: false,
          error: { category: 'VALIDATION_ERROR', message: `Email address ${email} is invalid` },
        };
      }
      const created = !this.ids.has(email);
      if (created) this.ids.set(email, String(this.ids.size + 101));
      return { ok: true, id: this.ids.get(email) as string, created };
    });
  }

  async notesOfContacts(_portal: unknown, contactIds: string[]): Promise<ContactNotes[]> {
    this.lookups.push(contactIds);
    if (this.failLookupCall) throw this.failLookupCall;
    return contactIds.map((id) =>
      this.unreadableContacts.has(id)
        ? { ok: false, error: { category: 'OBJECT_NOT_FOUND', message: `contact ${id} is gone` } }
        : { ok: true, bodies: this.stored.get(id) ?? [] },
    );
  }

  async createNotes(_portal: unknown, notes: NoteInput[]): Promise<ItemResult[]> {
    this.notes.push(notes);
    if (this.failNotesCall && !this.failNotesCall.afterWriting) throw this.failNotesCall.error;
    for (const { contactId, properties } of notes) {
      this.stored.set(contactId, [...(this.stored.get(contactId) ?? []), properties['hs_note_body'] ?? '']);
    }
    if (this.failNotesCall) throw this.failNotesCall.error;
    return notes.map((_, index) => ({ ok: true, id: `note-${index}` }));
  }

  notesOf(contactId: string): string[] {
    return this.stored.get(contactId) ?? [];
  }
}

function connectorFor(overrides: Partial<HubspotAccount> = {}) {
  const api = new RecordingApi();
  const defaults = {
    credentials: { accessToken: 'pat', baseUrl: 'http://127.0.0.1:4010' },
    sharedPortal: true,
    fields: {},
    leadStatus: DEFAULT_LEAD_STATUS,
    lifecycleStage: DEFAULT_LIFECYCLE_STAGE,
    ...overrides,
  };
  const connector = new HubspotConnector(new HubspotAccounts(defaults, new Map()), api);
  const batch = (...events: LeadEnrichedV1[]) => ({
    accountId: 'acct-1',
    records: events.map((event): DeliveryRecord<HubspotContactRecord> => ({
      key: event.lead.lead_id,
      record: connector.map(event),
      event,
      attempt: 1,
    })),
  });
  return {
    api,
    connector,
    batch,
    context: {
      signal: new AbortController().signal,
      budget: { acquire: async () => undefined, report: () => undefined },
    },
  };
}

describe('HubspotConnector.deliver', () => {
  it('upserts one contact per email (the latest inquiry wins) and adds one note per lead', async () => {
    const { api, connector, batch, context } = connectorFor();
    const email = 'repeat@example.com';
    const later = anEnrichedLead('acct-1', { email, tier: 'hot', timestamp: '2026-03-02T10:00:00.000Z' });
    const earlier = anEnrichedLead('acct-1', {
      email: 'REPEAT@example.com',
      tier: 'cold',
      timestamp: '2026-03-01T10:00:00.000Z',
    });
    const other = anEnrichedLead('acct-1');

    const outcomes = await connector.deliver(batch(later, earlier, other), context);

    expect(api.upserts[0]?.map((contact) => [contact.email, contact.properties['rdc_tier']])).toEqual([
      [email, 'hot'],
      [other.enrichment.normalized.email, 'hot'],
    ]);
    expect(api.notes[0]?.map((note) => note.contactId)).toEqual(['101', '101', '102']);
    expect(outcomes).toEqual([
      { ok: true, crmRecordId: '101' },
      { ok: true, crmRecordId: '101' },
      { ok: true, crmRecordId: '102' },
    ]);
  });

  it('answers a refused contact per lead, and writes no note for it', async () => {
    const { api, connector, batch, context } = connectorFor();
    const [good, bad] = [anEnrichedLead('acct-1'), anEnrichedLead('acct-1', { email: 'bad@example' })];
    api.refusedEmails.add('bad@example');
    const outcomes = await connector.deliver(batch(good, bad), context);
    expect(outcomes[0]).toEqual({ ok: true, crmRecordId: '101' });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { kind: 'rejected', message: 'VALIDATION_ERROR: Email address bad@example is invalid' },
    });
    expect(api.notes[0]).toHaveLength(1);
  });

  it('after a notes call HubSpot refused (429), retries the notes without writing or reading the contacts again', async () => {
    const { api, connector, batch, context } = connectorFor();
    const calls = batch(anEnrichedLead('acct-1'), anEnrichedLead('acct-1'));
    const refusal = new HubspotApiError(
      429,
      'RATE_LIMIT',
      'RATE_LIMIT: slow down',
      '1',
      'TEN_SECONDLY_ROLLING',
      true,
    );
    api.failNotesCall = { error: refusal, afterWriting: false };
    await expect(connector.deliver(calls, context)).rejects.toBe(refusal);

    api.failNotesCall = undefined;
    const outcomes = await connector.deliver(calls, context);
    expect(api.upserts).toHaveLength(1);
    expect(api.lookups).toHaveLength(0);
    expect(api.notes).toHaveLength(2);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });

  it('after a notes call whose answer was lost, looks the notes up and writes none twice', async () => {
    const { api, connector, batch, context } = connectorFor();
    const [first, second] = [anEnrichedLead('acct-1'), anEnrichedLead('acct-1')];
    const lost = new HubspotNetworkError('timeout', 'no answer within 30000 ms');
    api.failNotesCall = { error: lost, afterWriting: true };
    await expect(connector.deliver(batch(first, second), context)).rejects.toBe(lost);
    api.failNotesCall = undefined;

    const outcomes = await connector.deliver(batch(first, second), context);
    expect(api.upserts).toHaveLength(1);
    expect(api.lookups).toEqual([['101', '102']]);
    expect(api.notes).toHaveLength(1);
    expect(api.notesOf('101')).toHaveLength(1);
    expect(api.notesOf('102')).toHaveLength(1);
    expect(outcomes).toEqual([
      { ok: true, crmRecordId: '101' },
      { ok: true, crmRecordId: '102' },
    ]);
  });

  it('a lead delivered again after a restart finds its note on the contact HubSpot already had', async () => {
    const first = connectorFor();
    const lead = anEnrichedLead('acct-1');
    await first.connector.deliver(first.batch(lead), first.context);
    const restarted = new HubspotConnector(first.connector['accounts'], first.api);

    const outcomes = await restarted.deliver(first.batch(lead), first.context);
    expect(first.api.upserts).toHaveLength(2);
    expect(first.api.lookups).toEqual([['101']]);
    expect(first.api.notes).toHaveLength(1);
    expect(outcomes).toEqual([{ ok: true, crmRecordId: '101' }]);
  });

  it('the same lead delivered again to the same process is looked up too, though its contact is cached', async () => {
    const { api, connector, batch, context } = connectorFor();
    const lead = anEnrichedLead('acct-1');
    await connector.deliver(batch(lead), context);
    const outcomes = await connector.deliver(batch(lead), context);
    expect(api.upserts).toHaveLength(1);
    expect(api.lookups).toEqual([['101']]);
    expect(api.notes).toHaveLength(1);
    expect(outcomes).toEqual([{ ok: true, crmRecordId: '101' }]);
  });

  it('writes one note for a lead twice in one call, and a note for each other inquiry of a known person', async () => {
    const { api, connector, batch, context } = connectorFor();
    const email = 'known@example.com';
    const earlier = anEnrichedLead('acct-1', { email, timestamp: '2026-03-01T10:00:00.000Z' });
    await connector.deliver(batch(earlier), context);
    const later = anEnrichedLead('acct-1', { email, timestamp: '2026-03-02T10:00:00.000Z' });
    const fresh = anEnrichedLead('acct-1');

    const outcomes = await connector.deliver(batch(later, earlier, later, fresh, fresh), context);
    expect(api.lookups).toEqual([['101']]);
    expect(api.notes[1]?.map((note) => note.contactId)).toEqual(['101', '102']);
    expect(api.notesOf('101')).toHaveLength(2);
    expect(api.notesOf('102')).toHaveLength(1);
    expect(outcomes.map((outcome) => outcome.ok && outcome.crmRecordId)).toEqual([
      '101',
      '101',
      '101',
      '102',
      '102',
    ]);
  });

  it('never writes a note it could not look for: a failed lookup call throws, a contact not read fails its leads', async () => {
    const { api, connector, batch, context } = connectorFor();
    const [known, unreadable] = [anEnrichedLead('acct-1'), anEnrichedLead('acct-1')];
    await connector.deliver(batch(known, unreadable), context);
    const retry = batch(known, unreadable);
    const restarted = new HubspotConnector(connector['accounts'], api);

    api.failLookupCall = new HubspotApiError(
      503,
      'SERVICE_UNAVAILABLE',
      'SERVICE_UNAVAILABLE: down',
      null,
      undefined,
      true,
    );
    await expect(restarted.deliver(retry, context)).rejects.toBe(api.failLookupCall);
    expect(api.notes).toHaveLength(1);

    api.failLookupCall = undefined;
    api.unreadableContacts.add('102');
    const outcomes = await restarted.deliver(retry, context);
    expect(api.notes).toHaveLength(1);
    expect(outcomes[0]).toEqual({ ok: true, crmRecordId: '101' });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { kind: 'transient', message: 'OBJECT_NOT_FOUND: contact 102 is gone' },
    });
  });

  it("writes a known person's new inquiries without reading the contact's notes when the ledger knows them unwritten", async () => {
    const { api, connector, batch, context } = connectorFor();
    const email = 'long-history@example.com';
    for (let day = 1; day <= 5; day += 1) {
      await connector.deliver(
        batch(anEnrichedLead('acct-1', { email, timestamp: `2026-03-0${day}T10:00:00.000Z` })),
        context,
      );
    }
    const restarted = new HubspotConnector(connector['accounts'], api);
    const calls = { upserts: api.upserts.length, lookups: api.lookups.length, notes: api.notes.length };

    const newInquiry = batch(anEnrichedLead('acct-1', { email }));
    const outcomes = await restarted.deliver(
      { ...newInquiry, records: newInquiry.records.map((record) => ({ ...record, outcomeUnknown: false })) },
      context,
    );

    expect(outcomes).toEqual([{ ok: true, crmRecordId: '101' }]);
    expect(api.upserts.length - calls.upserts).toBe(1);
    expect(api.lookups.length - calls.lookups).toBe(0);
    expect(api.notes.length - calls.notes).toBe(1);
    expect(api.notesOf('101')).toHaveLength(6);
  });

  it('tells the ledger what failed before any note could be written, and only that', async () => {
    const { api, connector, batch, context } = connectorFor();
    api.refusedEmails.add('refused@example.com');
    const [refused] = await connector.deliver(
      batch(anEnrichedLead('acct-1', { email: 'refused@example.com' })),
      context,
    );
    expect(refused?.ok === false && 'error' in refused && isNothingWritten(refused.error)).toBe(true);

    const known = anEnrichedLead('acct-1');
    await connector.deliver(batch(known), context);
    const restarted = new HubspotConnector(connector['accounts'], api);
    api.failLookupCall = new HubspotApiError(503, 'SERVICE_UNAVAILABLE', 'down', null, undefined, true);
    const lookupFailure = await restarted.deliver(batch(known), context).catch((error: unknown) => error);
    expect(isNothingWritten(lookupFailure)).toBe(true);
    api.failLookupCall = undefined;

    const notesRefused = new HubspotApiError(
      429,
      'RATE_LIMIT',
      'slow down',
      '1',
      'TEN_SECONDLY_ROLLING',
      true,
    );
    api.failNotesCall = { error: notesRefused, afterWriting: false };
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toBe(notesRefused);
    expect(isNothingWritten(notesRefused)).toBe(true);

    const lost = new HubspotNetworkError('timeout', 'no answer within 30000 ms');
    api.failNotesCall = { error: lost, afterWriting: true };
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toBe(lost);
    expect(isNothingWritten(lost)).toBe(false);
  });

  it('holds the leads of an account without a token (auth) instead of calling anyone', async () => {
    const { api, connector, batch, context } = connectorFor({ credentials: undefined });
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toEqual(
      new ConnectorError('auth', 'no HubSpot token is configured for account acct-1'),
    );
    expect(api.upserts).toHaveLength(0);
  });
});
