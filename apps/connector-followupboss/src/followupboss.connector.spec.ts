import type { DeliveryRecord } from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { anEnrichedLead } from '../test/enriched-lead';
import type { FollowupbossApi, UpsertResult } from './followupboss-api/followupboss-api.client';
import { FollowupbossConnector } from './followupboss.connector';
import type { FollowupbossRecord } from './record/followupboss-record.mapper';

/** Answers like the CRM would: an id per record, a refusal for the emails it is told to refuse. */
class RecordingApi implements FollowupbossApi {
  readonly calls: FollowupbossRecord[][] = [];
  readonly refused = new Set<string>();

  async upsertRecords(records: FollowupbossRecord[]): Promise<UpsertResult[]> {
    this.calls.push(records);
    return records.map((record) =>
      this.refused.has(record.email)
        ? { ok: false, error: { code: 'INVALID_EMAIL', message: 'not deliverable' } }
        : { ok: true, id: `crm-${record.externalId}` },
    );
  }
}

describe('FollowupbossConnector.deliver', () => {
  const api = new RecordingApi();
  const connector = new FollowupbossConnector(api);
  const batch = (...events: LeadEnrichedV1[]) => ({
    accountId: 'acct-1',
    records: events.map((event): DeliveryRecord<FollowupbossRecord> => ({
      key: event.lead.lead_id,
      record: connector.map(event),
      event,
      attempt: 1,
    })),
  });
  const context = {
    signal: new AbortController().signal,
    budget: { acquire: async () => undefined, report: () => undefined },
  };

  it('answers one outcome per record, in order, a refusal for the refused one', async () => {
    const [good, bad] = [anEnrichedLead(), anEnrichedLead()];
    api.refused.add(bad.enrichment.normalized.email);
    const outcomes = await connector.deliver(batch(good, bad), context);
    expect(outcomes[0]).toEqual({ ok: true, crmRecordId: `crm-${good.lead.lead_id}` });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { kind: 'rejected', message: 'INVALID_EMAIL: not deliverable' },
    });
  });

  it('sends a lead that appears twice in one call once', async () => {
    const lead = anEnrichedLead();
    const outcomes = await connector.deliver(batch(lead, lead), context);
    expect(api.calls.at(-1)).toHaveLength(1);
    expect(outcomes).toEqual([
      { ok: true, crmRecordId: `crm-${lead.lead.lead_id}` },
      { ok: true, crmRecordId: `crm-${lead.lead.lead_id}` },
    ]);
  });
});
