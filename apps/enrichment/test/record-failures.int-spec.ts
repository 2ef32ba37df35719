import { HEADERS, LEAD_RECEIVED_V1 } from '@lead-delivery/contracts';
import { cloudEventHeaders, type ConsumedRecord } from '@lead-delivery/messaging';
import { anEnhancedLead, expectEventually, uniqueLeadId } from '@lead-delivery/testing';
import { LeadReceivedConsumer } from '../src/enrichment/lead-received.consumer';
import { EnrichmentHarness } from './enrichment-harness';

type Enrich = { enrich(record: ConsumedRecord): unknown };

describe('enrichment: records that fail by themselves', () => {
  const harness = new EnrichmentHarness();

  beforeAll(() => harness.start());
  afterAll(async () => {
    jest.restoreAllMocks();
    await harness.stop();
  });

  it('dead-letters poison records with their reason, and enriches the lead produced after them', async () => {
    const envelope = { accountId: 'acct-austin', leadKind: 'enhanced' as const };
    const headersOf = (leadId: string) =>
      cloudEventHeaders(
        LEAD_RECEIVED_V1,
        { ...anEnhancedLead({ lead_id: leadId }), warnings: [], raw: {} },
        '/gateway',
        envelope,
      );
    const deepId = uniqueLeadId();
    const deep = anEnhancedLead({ lead_id: deepId });
    const deepValue = JSON.stringify({ ...deep, warnings: [], raw: {} }).replace(
      /}$/,
      `,"nested":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    );
    const notJsonId = uniqueLeadId();
    const overflowing = anEnhancedLead();
    const prototype = LeadReceivedConsumer.prototype as unknown as Enrich;
    const enrich = prototype.enrich;
    jest.spyOn(prototype, 'enrich').mockImplementation(function (this: Enrich, record) {
      if (record.key === overflowing.lead_id) throw new RangeError('Maximum call stack size exceeded');
      return enrich.call(this, record);
    });
    const good = anEnhancedLead();

    await harness.sendRecord(deepId, deepValue, headersOf(deepId));
    await harness.sendRecord(notJsonId, `{"lead_id": "${notJsonId}", `, headersOf(notJsonId));
    await harness.sendLead(overflowing, envelope);
    await harness.sendLead(good, envelope);

    const [enriched] = await harness.enrichedOf(good.lead_id);
    expect(enriched?.event.lead.lead_id).toBe(good.lead_id);
    const reasons = await expectEventually(() => {
      const letters = [deepId, notJsonId, overflowing.lead_id].map((id) => harness.deadLetters.withKey(id));
      expect(letters.map((records) => records.length)).toEqual([1, 1, 1]);
      return letters.map(([letter]) => [
        letter?.headers[HEADERS.errorKind],
        letter?.headers[HEADERS.errorReason],
      ]);
    });
    expect(reasons).toEqual([
      ['invalid_record', expect.stringMatching(/^value nests deeper than 512 levels at \/nested\/0\/0/)],
      ['invalid_record', 'value is not JSON'],
      ['record_failed', 'RangeError: Maximum call stack size exceeded'],
    ]);
    expect(harness.enriched.withKey(overflowing.lead_id)).toEqual([]);

    const ready = (await (await fetch(harness.url('/health/ready'))).json()) as {
      info: Record<string, unknown>;
    };
    expect(ready.info.kafka_consumer_progress).toMatchObject({ status: 'up', stallTimeoutMs: 300_000 });
  });
});
