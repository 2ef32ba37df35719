import { ConnectorError, type DeliveryRecord } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnrichedLead } from '../test/support/enriched-lead';
import {
  DEFAULT_LEAD_STATUS,
  DEFAULT_LIFECYCLE_STAGE,
  HubspotAccounts,
  type HubspotAccount,
} from './accounts/hubspot-accounts';
import type { HubspotContactRecord, HubspotProperties } from './contact/hubspot-contact.mapper';
import type { HubspotApi, ItemResult, NoteInput } from './hubspot-api/hubspot-api.client';
import { HubspotApiError } from './hubspot-api/hubspot-api.error';
import { HubspotConnector } from './hubspot.connector';

/** Records the calls and answers like a portal would: one contact per email, failures on demand. */
class RecordingApi implements HubspotApi {
  readonly upserts: { email: string; properties: HubspotProperties }[][] = [];
  readonly notes: NoteInput[][] = [];
  readonly refusedEmails = new Set<string>();
  failNotesCall: Error | undefined;
  private readonly ids = new Map<string, string>();

  async upsertContacts(
    _portal: unknown,
    contacts: { email: string; properties: HubspotProperties }[],
  ): Promise<ItemResult[]> {
    this.upserts.push(contacts);
    return contacts.map(({ email }) => {
      if (this.refusedEmails.has(email)) {
        return {
          ok: false,
          error: { category: 'VALIDATION_ERROR', message: `Email address ${email} is invalid` },
        };
      }
      if (!this.ids.has(email)) this.ids.set(email, String(this.ids.size + 101));
      return { ok: true, id: this.ids.get(email) as string };
    });
  }

  async createNotes(_portal: unknown, notes: NoteInput[]): Promise<ItemResult[]> {
    this.notes.push(notes);
    if (this.failNotesCall) throw this.failNotesCall;
    return notes.map((_, index) => ({ ok: true, id: `note-${index}` }));
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
  return { api, connector, batch, context: { signal: new AbortController().signal } };
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

  it('after a failed notes call, retries the notes without writing the same contacts again', async () => {
    const { api, connector, batch, context } = connectorFor();
    const calls = batch(anEnrichedLead('acct-1'), anEnrichedLead('acct-1'));
    api.failNotesCall = new HubspotApiError(
      429,
      'RATE_LIMIT',
      'RATE_LIMIT: slow down',
      '1',
      'TEN_SECONDLY_ROLLING',
      true,
    );
    await expect(connector.deliver(calls, context)).rejects.toBe(api.failNotesCall);

    api.failNotesCall = undefined;
    const outcomes = await connector.deliver(calls, context);
    expect(api.upserts).toHaveLength(1);
    expect(api.notes).toHaveLength(2);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  });

  it('holds the leads of an account without a token (auth) instead of calling anyone', async () => {
    const { api, connector, batch, context } = connectorFor({ credentials: undefined });
    await expect(connector.deliver(batch(anEnrichedLead('acct-1')), context)).rejects.toEqual(
      new ConnectorError('auth', 'no HubSpot token is configured for account acct-1'),
    );
    expect(api.upserts).toHaveLength(0);
  });
});
