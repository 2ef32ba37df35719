import {
  ConnectorError,
  delivered,
  failed,
  type ConnectorLimits,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  type RecordOutcome,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { HubspotAccounts } from './accounts/hubspot-accounts';
import {
  mapHubspotContact,
  type HubspotContactRecord,
  type HubspotProperties,
} from './contact/hubspot-contact.mapper';
import { RecentUpserts } from './contact/recent-upserts';
import { BATCH_LIMIT, type HubspotApi, type HubspotPortal } from './hubspot-api/hubspot-api.client';
import { classifyHubspotFailure, classifyItemFailure } from './hubspot-failure.classifier';

/** The leads of one call that belong to one email address: one contact. */
interface PersonGroup {
  email: string;
  properties: HubspotProperties;
  indexes: number[];
  /** The contact, when this process wrote these very properties moments ago. */
  knownContactId?: string;
}

/**
 * Leads into HubSpot, one contact per person: contacts batch upsert by email (≤ 100 per call), then each
 * inquiry as a note associated with its contact. Per account (each may be its own portal).
 */
export class HubspotConnector implements CrmConnector<HubspotContactRecord> {
  readonly destination = 'hubspot';
  /**
   * Private apps may make 190 calls per 10 s per portal (Professional and Enterprise; 100 on Free and
   * Starter). A delivery makes two (contacts, then notes), so 8 deliveries/s with a burst of 8 stays under
   * 190 in any 10 s window.
   */
  readonly limits: ConnectorLimits = {
    maxBatchSize: BATCH_LIMIT,
    maxWaitMs: 500,
    requestsPerSecond: 8,
    burst: 8,
  };

  constructor(
    private readonly accounts: HubspotAccounts,
    private readonly api: HubspotApi,
    private readonly recent = new RecentUpserts(),
  ) {}

  map(event: LeadEnrichedV1): HubspotContactRecord {
    return mapHubspotContact(event, this.accounts.of(event.routing.account_id));
  }

  async deliver(
    { accountId, records }: DeliveryBatch<HubspotContactRecord>,
    { signal }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    const account = this.accounts.of(accountId);
    if (!account.credentials) {
      throw new ConnectorError('auth', `no HubSpot token is configured for account ${accountId}`);
    }
    const portal: HubspotPortal = { credentials: account.credentials, sharedPortal: account.sharedPortal };
    const groups = groupByEmail(records);
    for (const group of groups) {
      const knownContactId = this.recent.get(RecentUpserts.keyOf(accountId, group.email, group.properties));
      if (knownContactId) group.knownContactId = knownContactId;
    }

    const toUpsert = groups.filter((group) => !group.knownContactId);
    const upserted =
      toUpsert.length === 0
        ? []
        : await this.api.upsertContacts(
            portal,
            toUpsert.map(({ email, properties }) => ({ email, properties })),
            signal,
          );
    const outcomes: RecordOutcome[] = [];
    toUpsert.forEach((group, position) => {
      const result = upserted[position];
      if (result?.ok) {
        group.knownContactId = result.id;
        this.recent.set(RecentUpserts.keyOf(accountId, group.email, group.properties), result.id);
      } else {
        const error = classifyItemFailure(
          result?.ok === false ? result.error : { category: 'MISSING_RESULT', message: 'no result' },
        );
        for (const index of group.indexes) outcomes[index] = failed(error);
      }
    });

    const notes = groups.flatMap((group) =>
      group.knownContactId
        ? group.indexes.map((index) => ({ index, group, contactId: group.knownContactId as string }))
        : [],
    );
    if (notes.length === 0) return outcomes;
    const created = await this.api.createNotes(
      portal,
      notes.map(({ index, contactId }) => ({ contactId, properties: records[index].record.note })),
      signal,
    );
    notes.forEach(({ index, group, contactId }, position) => {
      const result = created[position];
      if (result?.ok) {
        outcomes[index] = delivered(contactId);
        return;
      }
      // The contact may have been merged or deleted since: forget it, so that the retry upserts again.
      this.recent.delete(RecentUpserts.keyOf(accountId, group.email, group.properties));
      outcomes[index] = failed(
        classifyItemFailure(
          result?.ok === false ? result.error : { category: 'MISSING_RESULT', message: 'no result' },
        ),
      );
    });
    return outcomes;
  }

  classify(error: unknown): ConnectorError {
    return classifyHubspotFailure(error);
  }
}

/**
 * One contact per email: HubSpot fails a whole batch that names an email twice, so the inquiries of one
 * person (or a lead delivered twice) are merged, the latest one winning.
 */
function groupByEmail(records: DeliveryRecord<HubspotContactRecord>[]): PersonGroup[] {
  const groups = new Map<string, PersonGroup>();
  const byTime = records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => a.record.event.lead.timestamp.localeCompare(b.record.event.lead.timestamp));
  for (const { record, index } of byTime) {
    const { email, properties } = record.record;
    const group = groups.get(email);
    if (group) {
      group.properties = { ...group.properties, ...properties };
      group.indexes.push(index);
    } else {
      groups.set(email, { email, properties: { ...properties }, indexes: [index] });
    }
  }
  return [...groups.values()];
}
