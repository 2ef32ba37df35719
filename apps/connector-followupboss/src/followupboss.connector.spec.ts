import { isNothingWritten, type DeliveryRecord, type LeadRef } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnrichedLead } from '@lead-delivery/testing';
import { accountsOf, writeAccountsFile } from '../test/support/accounts';
import type { FollowupbossCredentials } from './accounts/followupboss-accounts';
import type { FubEvent } from './event/followupboss-event.mapper';
import type { FollowupbossApi, PostEventResult } from './followupboss-api/followupboss-api.client';
import { FollowupbossApiError } from './followupboss-api/followupboss-api.error';
import { FollowupbossConnector } from './followupboss.connector';

/** Answers like Follow Up Boss: one person per email, an archived source answered 204. */
class FakeFollowupboss implements FollowupbossApi {
  readonly posted: { credentials: FollowupbossCredentials; event: FubEvent }[] = [];
  readonly lookups: LeadRef[] = [];
  readonly archivedSources = new Set<string>();
  readonly people = new Map<string, { id: string; markers: string[] }>();
  failNextPost?: Error;

  async postEvent(credentials: FollowupbossCredentials, event: FubEvent): Promise<PostEventResult> {
    if (this.failNextPost) {
      const error = this.failNextPost;
      this.failNextPost = undefined;
      throw error;
    }
    this.posted.push({ credentials, event });
    if (this.archivedSources.has(event.source)) return { outcome: 'archived' };
    const email = event.person.emails[0]?.value ?? '';
    const known = this.people.get(email);
    const person = known ?? { id: String(this.people.size + 1), markers: [] };
    this.people.set(email, person);
    person.markers.push(event.description);
    return { outcome: known ? 'updated' : 'created', personId: person.id };
  }

  async findLeadEvent(_: FollowupbossCredentials, email: string, lead: LeadRef): Promise<string | undefined> {
    this.lookups.push(lead);
    const person = this.people.get(email);
    return person?.markers.some((text) => text.includes(`lead id: ${lead.leadId} `)) ? person.id : undefined;
  }
}

describe('FollowupbossConnector', () => {
  const accountsFile = writeAccountsFile({
    default: { credentials: { apiKey: 'default-key' }, systemKey: 'system-key' },
    accounts: {
      archived: { source: 'Old Portal' },
      own: { credentials: { apiKey: 'own-key' }, eventTypes: { property: 'Registration' } },
    },
  });
  const accounts = accountsOf({
    CONNECTOR_ACCOUNTS_FILE: accountsFile,
    FOLLOWUPBOSS_BASE_URL: 'http://fub.test',
  });
  let api: FakeFollowupboss;
  let connector: FollowupbossConnector;
  const budget = { acquire: async () => undefined, report: () => undefined };
  const context = { signal: new AbortController().signal, budget };
  const deliver = (event: LeadEnrichedV1, outcomeUnknown = false) => {
    const record: DeliveryRecord<FubEvent> = {
      key: event.lead.lead_id,
      record: connector.map(event),
      event,
      attempt: 1,
      outcomeUnknown,
    };
    return connector.deliver({ accountId: event.routing.account_id, records: [record] }, context);
  };

  beforeEach(() => {
    api = new FakeFollowupboss();
    connector = new FollowupbossConnector(accounts, api);
  });

  it('delivers one lead per call, as an event, with the account’s key and the system’s headers', async () => {
    expect(connector.limits).toEqual({ maxBatchSize: 1, callsPerWindow: 250, callWindowMs: 10_000 });
    const lead = anEnrichedLead('acct-1');
    expect(await deliver(lead)).toEqual([{ ok: true, crmRecordId: '1' }]);
    expect(api.posted[0]?.credentials).toEqual({
      baseUrl: 'http://fub.test',
      apiKey: 'default-key',
      system: 'LeadDeliveryPlatform',
      systemKey: 'system-key',
    });
    expect(api.posted[0]?.event.type).toBe('Property Inquiry');
    expect(api.lookups).toEqual([]);
  });

  it('the person’s second lead is an event on the same person (Follow Up Boss merges by email)', async () => {
    const first = anEnrichedLead('acct-1');
    const second = anEnrichedLead('acct-1', { email: first.lead.contact.email, role: 'seller' });
    await deliver(first);
    expect(await deliver(second)).toEqual([{ ok: true, crmRecordId: '1' }]);
    expect(api.posted.map(({ event }) => event.type)).toEqual(['Property Inquiry', 'Seller Inquiry']);
  });

  it('looks a lead of unknown outcome up first, and does not post its event again when it is there', async () => {
    const lead = anEnrichedLead('acct-1');
    await deliver(lead);
    expect(await deliver(lead, true)).toEqual([{ ok: true, crmRecordId: '1' }]);
    expect(api.posted).toHaveLength(1);
    expect(api.lookups).toEqual([{ accountId: 'acct-1', leadId: lead.lead.lead_id }]);

    const lost = anEnrichedLead('acct-1');
    expect(await deliver(lost, true)).toEqual([{ ok: true, crmRecordId: '2' }]);
    expect(api.posted).toHaveLength(2);
  });

  it('records a 204 (lead flow archived) as skipped, lead_source_archived: no failure, not delivered', async () => {
    api.archivedSources.add('Old Portal');
    const [outcome] = await deliver(anEnrichedLead('archived'));
    expect(outcome).toEqual({
      ok: false,
      skipped: 'lead_source_archived',
      detail: expect.stringMatching(/lead flow archived.*"Old Portal".*204/),
    });
    expect(outcome && 'error' in outcome).toBe(false);
  });

  it('marks a refused call nothing-written, and keeps the intent of a call that may have been carried out', async () => {
    api.failNextPost = new FollowupbossApiError(429, 'slow down', '3');
    const refused = await deliver(anEnrichedLead('acct-1')).catch((error: unknown) => error);
    expect(isNothingWritten(refused)).toBe(true);
    expect(connector.classify(refused)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });

    api.failNextPost = new FollowupbossApiError(502, 'bad gateway', null);
    expect(isNothingWritten(await deliver(anEnrichedLead('acct-1')).catch((error: unknown) => error))).toBe(
      false,
    );
  });

  it('an account with its own key has its own credential and event types; one with none waits (auth)', async () => {
    expect(connector.credentialOf('own').key).not.toBe(connector.credentialOf('acct-1').key);
    expect(connector.credentialOf('acct-1').key).toBe(connector.credentialOf('archived').key);
    expect(connector.credentialOf('own').key).not.toContain('own-key');
    await deliver(anEnrichedLead('own'));
    expect(api.posted[0]).toMatchObject({
      credentials: { apiKey: 'own-key' },
      event: { type: 'Registration' },
    });

    const keyless = new FollowupbossConnector(
      accountsOf({
        CONNECTOR_ACCOUNTS_FILE: writeAccountsFile({ accounts: { a: { credentials: { apiKey: 'k' } } } }),
      }),
      api,
    );
    const lead = anEnrichedLead('b');
    const error = await keyless
      .deliver(
        { accountId: 'b', records: [{ key: 'x', record: keyless.map(lead), event: lead, attempt: 1 }] },
        context,
      )
      .catch((thrown: unknown) => thrown);
    expect(keyless.classify(error).kind).toBe('auth');
  });
});
