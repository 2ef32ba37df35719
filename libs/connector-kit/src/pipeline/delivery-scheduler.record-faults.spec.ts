import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { silentLogger } from '@lead-delivery/messaging';
import { expectEventually } from '@lead-delivery/testing';
import { Registry } from 'prom-client';
import { ConnectorError } from '../connector/connector.error';
import { delivered, type CrmConnector, type DeliveryBatch } from '../connector/crm-connector';
import { ConnectorMetrics } from '../metrics/connector-metrics';
import { DeliveryScheduler, type PendingLead } from './delivery-scheduler';
import type { OutcomeRecorder } from './outcome-recorder';
import {
  SCHEDULER_SETTINGS,
  fakeRecorder,
  pendingLead,
  unlimitedCalls,
  type FakeMapped as Mapped,
} from '../../test/support/scheduler-fakes';

/**
 * A connector whose request building (inside `deliver`, as HubSpot builds its notes) throws a TypeError on
 * the leads in `poison`, and whose classifier, like HubSpot's, takes every unknown error for a transient one.
 */
class PoisonableConnector implements CrmConnector<Mapped> {
  readonly destination = 'fake';
  readonly limits = { maxBatchSize: 10, callsPerWindow: 10_000, callWindowMs: 1_000 };
  readonly calls: string[][] = [];
  readonly poison = new Set<string>();
  failure: Error | undefined;

  map(event: LeadEnrichedV1): Mapped {
    return { leadId: event.lead.lead_id };
  }

  async deliver(batch: DeliveryBatch<Mapped>) {
    this.calls.push(batch.records.map((record) => record.key));
    if (this.failure) throw this.failure;
    return batch.records.map(({ record }) => {
      if (this.poison.has(record.leadId)) {
        const note = undefined as unknown as { body: string };
        return delivered(note.body); // TypeError: Cannot read properties of undefined (reading 'body')
      }
      return delivered(`crm-${record.leadId}`);
    });
  }

  classify(error: unknown): ConnectorError {
    return new ConnectorError('transient', (error as Error).message);
  }
}

describe('DeliveryScheduler: a call that fails in our code on one of its records', () => {
  let connector: PoisonableConnector;
  let recorder: ReturnType<typeof fakeRecorder>;
  let scheduler: DeliveryScheduler<Mapped>;

  beforeEach(() => {
    connector = new PoisonableConnector();
    recorder = fakeRecorder();
    scheduler = new DeliveryScheduler({
      connector,
      settings: SCHEDULER_SETTINGS,
      recorder: recorder as unknown as OutcomeRecorder,
      metrics: new ConnectorMetrics(new Registry(), 'fake'),
      logger: silentLogger,
      consumption: { pause: jest.fn(), resume: jest.fn() },
      limiter: unlimitedCalls,
    });
  });
  afterEach(() => scheduler.stop(0));

  const submitAll = (ids: string[]) => ids.forEach((id) => scheduler.submit(pendingLead(id)));
  const deliveredIds = () =>
    recorder.delivered.mock.calls.map(([lead]) => (lead as PendingLead<Mapped>).lead.leadId);

  it('delivers its call-mates and dead-letters only the culprit, after its attempts alone', async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `lead-${index}`);
    connector.poison.add('lead-5');
    submitAll(ids);

    await expectEventually(() => expect(recorder.deadLettered).toHaveBeenCalledTimes(1));
    await expectEventually(() => expect(deliveredIds().sort()).toEqual(ids.filter((id) => id !== 'lead-5')));

    const [culprit, kind, reason] = recorder.deadLettered.mock.calls[0] as [
      PendingLead<Mapped>,
      string,
      string,
    ];
    expect(culprit.lead.leadId).toBe('lead-5');
    expect(kind).toBe('record_failed');
    expect(reason).toBe("TypeError: Cannot read properties of undefined (reading 'body')");
    expect(connector.calls.filter((call) => call.length === 1 && call[0] === 'lead-5')).toHaveLength(3);
    // Halving, not one call per lead: 8 → 4 → 2 → 1.
    expect(connector.calls.length).toBeLessThan(ids.length + 3);
    expect(recorder.parked).not.toHaveBeenCalled();
    expect(scheduler.crmDown).toBe(false);
  });

  it('keeps retrying a transient CRM failure of the whole call, for every lead of it', async () => {
    connector.failure = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    submitAll(['lead-a', 'lead-b']);

    await expectEventually(() => expect(connector.calls.length).toBeGreaterThanOrEqual(3));
    expect(connector.calls.every((call) => call.length === 2)).toBe(true);
    expect(recorder.deadLettered).not.toHaveBeenCalled();
  });
});
