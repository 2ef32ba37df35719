import { LEAD_DELIVERY_V1, type LeadDeliveryV1 } from '@lead-delivery/contracts';
import type { EventPublisher } from '@lead-delivery/messaging';
import { anEnrichedLead } from '@lead-delivery/testing';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import { OutcomeRecorder, type TrackedLead } from './outcome-recorder';

describe('OutcomeRecorder', () => {
  const now = Date.parse('2026-12-05T10:00:05.000Z');
  let publisher: { publish: jest.Mock; send: jest.Mock };
  let metrics: { outcomePublished: jest.Mock; deadLettered: jest.Mock; retried: jest.Mock };
  let recorder: OutcomeRecorder;

  beforeEach(() => {
    publisher = { publish: jest.fn(async () => undefined), send: jest.fn(async () => undefined) };
    metrics = { outcomePublished: jest.fn(), deadLettered: jest.fn(), retried: jest.fn() };
    recorder = new OutcomeRecorder({
      publisher: publisher as unknown as EventPublisher,
      destination: 'followupboss',
      group: 'connector-followupboss',
      retryTopic: 'leads.enriched.v1.retry.connector-followupboss',
      metrics: metrics as unknown as ConnectorMetrics,
      logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn() } as never,
      now: () => now,
    });
  });

  const trackedLead = (): TrackedLead & { settle: jest.Mock } => {
    const event = anEnrichedLead('acct-1');
    return {
      lead: {
        event,
        leadId: event.lead.lead_id,
        accountId: 'acct-1',
        previousAttempts: 0,
        previousRefusedCalls: 0,
      },
      record: {
        topic: 'leads.enriched.v1',
        partition: 0,
        offset: '7',
        key: event.lead.lead_id,
        value: null,
        headers: {},
        timestamp: '0',
      },
      attempts: 1,
      refusedCalls: 0,
      settle: jest.fn(),
    };
  };

  it('publishes a skipped lead as `skipped` with its reason, then settles it: no dead letter, no retry', async () => {
    const tracked = trackedLead();
    recorder.skipped(tracked, 'lead_source_archived', 'lead flow archived of maria@example.com (204)');
    await recorder.idle();

    expect(publisher.publish).toHaveBeenCalledTimes(1);
    const [definition, value] = publisher.publish.mock.calls[0] as [unknown, LeadDeliveryV1];
    expect(definition).toBe(LEAD_DELIVERY_V1);
    expect(value).toMatchObject({
      lead_id: tracked.lead.leadId,
      account_id: 'acct-1',
      destination: 'followupboss',
      outcome: 'skipped',
      crm_record_id: null,
      attempts: 1,
      delivered_at: null,
      occurred_at: new Date(now).toISOString(),
    });
    expect(value.error).toMatch(/^lead_source_archived: lead flow archived of .*\(204\)$/);
    expect(value.error).not.toContain('maria@example.com');
    expect(publisher.send).not.toHaveBeenCalled();
    expect(metrics.deadLettered).not.toHaveBeenCalled();
    expect(metrics.retried).not.toHaveBeenCalled();
    expect(metrics.outcomePublished).toHaveBeenCalledWith('skipped');
    expect(tracked.settle).toHaveBeenCalledTimes(1);
  });
});
