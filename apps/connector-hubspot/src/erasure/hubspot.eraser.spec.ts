import { ConnectorError, leadMarker } from '@lead-delivery/connector-kit';
import { anEnrichedLead } from '@lead-delivery/testing';
import {
  DEFAULT_LEAD_STATUS,
  DEFAULT_LIFECYCLE_STAGE,
  HubspotAccounts,
  hubspotCredentialOf,
  type HubspotAccount,
} from '../accounts/hubspot-accounts';
import type { HubspotPortal } from '../hubspot-api/hubspot-api.client';
import { mapHubspotContact } from '../contact/hubspot-contact.mapper';
import { HubspotApiError } from '../hubspot-api/hubspot-api.error';
import type { ContactNote, HubspotErasureApi } from './hubspot-erasure.client';
import { HubspotEraser, PERSONAL_CONTACT_PROPERTIES } from './hubspot.eraser';

class RecordingApi implements HubspotErasureApi {
  readonly deleted: string[] = [];
  readonly archived: string[][] = [];
  readonly blanked: Array<{ contactId: string; properties: string[] }> = [];
  notes = new Map<string, ContactNote[]>();
  gone = new Set<string>();
  failWith: Error | undefined;
  /** The portal of every call, in order. */
  readonly portals: HubspotPortal[] = [];

  async gdprDeleteContact(portal: HubspotPortal, contactId: string) {
    this.portals.push(portal);
    if (this.failWith) throw this.failWith;
    if (this.gone.has(contactId)) return 'gone' as const;
    this.deleted.push(contactId);
    return 'deleted' as const;
  }
  async notesOf(portal: HubspotPortal, contactId: string) {
    this.portals.push(portal);
    return this.notes.get(contactId) ?? [];
  }
  async archiveNotes(portal: HubspotPortal, noteIds: string[]) {
    this.portals.push(portal);
    this.archived.push(noteIds);
  }
  async blankContact(portal: HubspotPortal, contactId: string, properties: string[]) {
    this.portals.push(portal);
    if (this.gone.has(contactId)) return 'gone' as const;
    this.blanked.push({ contactId, properties });
    return 'blanked' as const;
  }
}

const signal = new AbortController().signal;
const budget = { acquire: jest.fn(async () => undefined), report: jest.fn() };
const context = { signal, budget };

function eraserFor(overrides: Partial<HubspotAccount> = {}) {
  const api = new RecordingApi();
  const defaults = {
    credentials: { accessToken: 'pat', baseUrl: 'http://127.0.0.1:4010' },
    sharedPortal: true,
    fields: {},
    leadStatus: DEFAULT_LEAD_STATUS,
    lifecycleStage: DEFAULT_LIFECYCLE_STAGE,
    ...overrides,
  };
  return { api, eraser: new HubspotEraser(new HubspotAccounts(defaults, new Map()), api) };
}

const command = {
  erasureId: 'e-1',
  accountId: 'acct-1',
  records: [
    { leadId: 'lead-1', crmRecordId: '101' },
    { leadId: 'lead-2', crmRecordId: '101' },
    { leadId: 'lead-3', crmRecordId: null },
  ],
};

describe('HubspotEraser', () => {
  it('GDPR-deletes each contact once by default, and counts a contact already gone as erased', async () => {
    const { api, eraser } = eraserFor();
    api.gone.add('102');
    const report = await eraser.erase(
      { ...command, records: [...command.records, { leadId: 'lead-4', crmRecordId: '102' }] },
      context,
    );
    expect(api.deleted).toEqual(['101']);
    expect(report).toEqual({
      method: 'gdpr_delete',
      counts: { contacts: 2, leads_without_contact: 1, contacts_deleted: 1 },
    });
  });

  it('in remove-ours mode archives only the notes of the erased leads and blanks what the connector writes', async () => {
    const { api, eraser } = eraserFor({
      erasure: 'remove-ours',
      fields: { custom_budget: { from: 'lead.finance_info.budget_max' } },
    });
    api.notes.set('101', [
      { id: 'n-1', body: `Inquiry<br>${leadMarker({ accountId: 'acct-1', leadId: 'lead-1' })}` },
      { id: 'n-2', body: `<p>${leadMarker({ accountId: 'acct-1', leadId: 'lead-2' })}</p>` },
      { id: 'n-3', body: `${leadMarker({ accountId: 'acct-other', leadId: 'lead-1' })}` },
      { id: 'n-4', body: 'a note an agent wrote' },
    ]);
    const report = await eraser.erase(command, context);
    expect(api.archived).toEqual([['n-1', 'n-2']]);
    expect(api.deleted).toEqual([]);
    expect(api.blanked).toEqual([
      { contactId: '101', properties: [...PERSONAL_CONTACT_PROPERTIES, 'custom_budget'] },
    ]);
    expect(report).toEqual({
      method: 'remove_ours',
      counts: { contacts: 1, leads_without_contact: 1, notes_archived: 2, contacts_blanked: 1 },
    });
  });

  it('blanks every property the default mapping writes except the tier status and lifecycle stage', () => {
    const account = new HubspotAccounts(
      {
        credentials: undefined,
        sharedPortal: true,
        fields: {},
        leadStatus: DEFAULT_LEAD_STATUS,
        lifecycleStage: DEFAULT_LIFECYCLE_STAGE,
      },
      new Map(),
    ).of('acct-1');
    const written = Object.keys(mapHubspotContact(anEnrichedLead('acct-1'), account).properties);
    expect(written).toEqual(expect.arrayContaining(['email', 'firstname', 'phone', 'rdc_person_key']));
    for (const name of written) {
      if (!['hs_lead_status', 'lifecyclestage'].includes(name))
        expect(PERSONAL_CONTACT_PROPERTIES).toContain(name);
    }
  });

  it('refuses an account without a token (auth: retried until an operator configures one)', async () => {
    const { eraser } = eraserFor({ credentials: undefined });
    await expect(eraser.erase(command, context)).rejects.toEqual(
      new ConnectorError('auth', 'no HubSpot token is configured for account acct-1'),
    );
  });

  it('classifies HubSpot failures as the delivery does: 429 throttled, 403 auth, 400 rejected', () => {
    const { eraser } = eraserFor();
    const error = (status: number) => new HubspotApiError(status, 'X', 'X: no', null, undefined, false);
    expect(eraser.classify(error(429)).kind).toBe('rate_limited');
    expect(eraser.classify(error(403)).kind).toBe('auth');
    expect(eraser.classify(error(400)).kind).toBe('rejected');
  });

  it("makes every call under the portal's call budget, the credential its deliveries use", async () => {
    const { api, eraser } = eraserFor({ erasure: 'remove-ours' });
    api.notes.set('101', [{ id: 'n1', body: leadMarker({ accountId: 'acct-1', leadId: 'lead-1' }) }]);

    await eraser.erase(command, context);

    expect(api.portals.length).toBe(3); // notes, archive, blank
    for (const portal of api.portals) expect(portal.budget).toBe(budget);
    const account = new HubspotAccounts(
      {
        credentials: { accessToken: 'pat', baseUrl: 'http://127.0.0.1:4010' },
        sharedPortal: true,
        fields: {},
        leadStatus: DEFAULT_LEAD_STATUS,
        lifecycleStage: DEFAULT_LIFECYCLE_STAGE,
      },
      new Map(),
    ).of('acct-1');
    expect(eraser.credentialOf('acct-1')).toEqual(hubspotCredentialOf(account));
  });
});
