import {
  ConnectorError,
  delivered,
  failed,
  nothingWritten,
  oldestLeadFirst,
  RecentWrites,
  type ConnectorLimits,
  type Credential,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  type RecordOutcome,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { hubspotCredentialOf, type HubspotAccounts } from './accounts/hubspot-accounts';
import {
  mapHubspotContact,
  type HubspotContactRecord,
  type HubspotProperties,
} from './contact/hubspot-contact.mapper';
import {
  BATCH_LIMIT,
  type HubspotApi,
  type HubspotPortal,
  type ItemResult,
} from './hubspot-api/hubspot-api.client';
import { wasRefused, type HubspotItemError } from './hubspot-api/hubspot-api.error';
import { classifyHubspotFailure, classifyItemFailure } from './hubspot-failure.classifier';
import { noteCarriesLeadMarker } from './note/lead-marker';

/** The leads of one call that belong to one email address: one contact. */
interface PersonGroup {
  email: string;
  properties: HubspotProperties;
  /** The records of each lead (a lead delivered twice in one call has two), by lead id. */
  leads: Map<string, number[]>;
  /** Leads an earlier call may have noted (the ledger cannot tell): only these are looked for. */
  unknown: Set<string>;
  cacheKey: string;
  contactId?: string;
  /** The contact cannot have notes of ours yet (HubSpot has just created it): no lookup needed. */
  noNotes?: boolean;
}

/** What this process knows of a contact it upserted moments ago. */
interface RecentContact {
  contactId: string;
  /**
   * HubSpot created the contact (so it had no notes), and no notes call that may have reached HubSpot
   * has been made for it since: a retry need not look for notes already written.
   */
  noNotes: boolean;
}

const noResult: HubspotItemError = { category: 'MISSING_RESULT', message: 'no result' };

/**
 * Leads into HubSpot, one contact per person: contacts batch upsert by email (≤ 100 per call), then each
 * inquiry as a note associated with its contact, unless the contact already has the lead's note (a
 * redelivery). Per account (each may be its own portal).
 */
export class HubspotConnector implements CrmConnector<HubspotContactRecord> {
  readonly destination = 'hubspot';
  /**
   * Private apps may make 190 calls per 10 s per portal (Professional and Enterprise; 100 on Free and
   * Starter, which the X-HubSpot-RateLimit-* headers then say). The kit counts every HTTP call. Pipelined:
   * the next batch's contact upsert may start while this one's notes are created.
   */
  readonly limits: ConnectorLimits = {
    maxBatchSize: BATCH_LIMIT,
    callsPerWindow: 190,
    callWindowMs: 10_000,
    pipelined: true,
  };

  constructor(
    private readonly accounts: HubspotAccounts,
    private readonly api: HubspotApi,
    /**
     * Contacts this process upserted moments ago, by account, email and the exact properties written. A lead
     * retried because its note could not be created finds its contact here and skips a second, identical
     * upsert (and, while `noNotes` holds, the lookup of its notes): a 30% failure rate then costs one extra
     * call per failure, not two or three.
     */
    private readonly recent = new RecentWrites<RecentContact>(),
  ) {}

  map(event: LeadEnrichedV1): HubspotContactRecord {
    return mapHubspotContact(event, this.accounts.of(event.routing.account_id));
  }

  async deliver(
    { accountId, records }: DeliveryBatch<HubspotContactRecord>,
    { signal, budget }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    const account = this.accounts.of(accountId);
    if (!account.credentials) {
      throw new ConnectorError('auth', `no HubSpot token is configured for account ${accountId}`);
    }
    const portal: HubspotPortal = {
      credentials: account.credentials,
      sharedPortal: account.sharedPortal,
      budget,
    };
    const outcomes: RecordOutcome[] = [];
    // Upsert and lookup failures come before the notes call: nothing written that a retry could duplicate.
    const fail = (group: PersonGroup, indexes: number[], error: HubspotItemError) => {
      for (const index of indexes) outcomes[index] = failed(nothingWritten(classifyItemFailure(error)));
      group.contactId = undefined;
    };

    const groups = groupByEmail(accountId, records);
    for (const group of groups) {
      const known = this.recent.get(group.cacheKey);
      if (known) Object.assign(group, known);
    }
    const beforeNotes = <T>(step: Promise<T>) =>
      step.catch((error: unknown) => Promise.reject(nothingWritten(error)));
    const toUpsert = groups.filter((group) => !group.contactId);
    const upserted =
      toUpsert.length === 0
        ? []
        : await beforeNotes(
            this.api.upsertContacts(
              portal,
              toUpsert.map(({ email, properties }) => ({ email, properties })),
              signal,
            ),
          );
    toUpsert.forEach((group, position) => {
      const result = upserted[position];
      if (!result?.ok) return fail(group, allIndexes(group), result?.error ?? noResult);
      group.contactId = result.id;
      group.noNotes = result.created;
      this.recent.set(group.cacheKey, { contactId: result.id, noNotes: result.created });
    });

    // A lead the ledger cannot vouch for (an earlier call's answer was lost) may already have its note
    // on a contact HubSpot knew before. Only those contacts' notes are read, and a note is written only
    // for the leads none of them names; the others are written at once, so the cost of a delivery does
    // not grow with the person's history. A failed read fails its leads (retried): never a duplicate.
    const toLookUp = groups.filter((group) => group.contactId && !group.noNotes && group.unknown.size > 0);
    const existing =
      toLookUp.length === 0
        ? []
        : await beforeNotes(
            this.api.notesOfContacts(
              portal,
              toLookUp.map((group) => group.contactId as string),
              signal,
            ),
          );
    const noted = new Set<string>();
    toLookUp.forEach((group, position) => {
      const notes = existing[position];
      if (!notes?.ok) return fail(group, allIndexes(group), notes?.error ?? noResult);
      for (const leadId of group.unknown) {
        if (notes.bodies.some((body) => noteCarriesLeadMarker(body, { accountId, leadId })))
          noted.add(leadId);
      }
    });

    const notes: { group: PersonGroup; contactId: string; indexes: number[]; note: HubspotProperties }[] = [];
    for (const group of groups) {
      const { contactId } = group;
      if (!contactId) continue;
      for (const [leadId, indexes] of group.leads) {
        if (noted.has(leadId)) {
          for (const index of indexes) outcomes[index] = delivered(contactId);
        } else {
          notes.push({ group, contactId, indexes, note: records[indexes[0] as number]?.record.note ?? {} });
        }
      }
    }
    if (notes.length === 0) return outcomes;

    // Once a notes call may have reached HubSpot, its contacts' notes must be looked up before any retry.
    const notesMayExist = () =>
      notes.forEach(({ group }) =>
        this.recent.update(group.cacheKey, (contact) => ({ ...contact, noNotes: false })),
      );
    let created: ItemResult[];
    try {
      created = await this.api.createNotes(
        portal,
        notes.map(({ contactId, note }) => ({ contactId, properties: note })),
        signal,
      );
    } catch (error) {
      if (wasRefused(error)) throw nothingWritten(error);
      notesMayExist();
      throw error;
    }
    notesMayExist();
    notes.forEach(({ group, contactId, indexes }, position) => {
      const result = created[position];
      if (result?.ok) {
        for (const index of indexes) outcomes[index] = delivered(contactId);
        return;
      }
      // The contact may have been merged or deleted since: forget it, so that the retry upserts again.
      this.recent.delete(group.cacheKey);
      // HubSpot refused this note; with no result for it, it may have been written.
      const error = classifyItemFailure(result?.error ?? noResult);
      const outcome = failed(
        result?.ok === false && result.error.category !== noResult.category ? nothingWritten(error) : error,
      );
      for (const index of indexes) outcomes[index] = outcome;
    });
    return outcomes;
  }

  classify(error: unknown): ConnectorError {
    return classifyHubspotFailure(error);
  }

  credentialOf(accountId: string): Credential {
    return hubspotCredentialOf(this.accounts.of(accountId));
  }
}

const allIndexes = (group: PersonGroup) => [...group.leads.values()].flat();

/**
 * One contact per email: HubSpot fails a whole batch that names an email twice, so the inquiries of one
 * person (or a lead delivered twice) are merged, the latest one winning.
 */
function groupByEmail(accountId: string, records: DeliveryRecord<HubspotContactRecord>[]): PersonGroup[] {
  const groups = new Map<string, PersonGroup>();
  for (const { record, index } of oldestLeadFirst(records)) {
    const { email, properties } = record.record;
    let group = groups.get(email);
    if (group) {
      group.properties = { ...group.properties, ...properties };
    } else {
      group = { email, properties: { ...properties }, leads: new Map(), unknown: new Set(), cacheKey: '' };
      groups.set(email, group);
    }
    group.leads.set(record.key, [...(group.leads.get(record.key) ?? []), index]);
    if (record.outcomeUnknown !== false) group.unknown.add(record.key);
  }
  return [...groups.values()].map((group) => ({
    ...group,
    cacheKey: RecentWrites.keyOf(accountId, group.email, group.properties),
  }));
}
