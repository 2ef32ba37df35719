import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import { BrokenCircuitError } from 'cockatiel';
import { fakeRecorder, pendingLead, type FakeMapped } from '../../test/support/scheduler-fakes';
import type { CallBudget, Credential } from '../budget/call-budget';
import { ConnectorError } from '../connector/connector.error';
import {
  delivered,
  failed,
  skipped,
  type CrmConnector,
  type DeliveryBatch,
  type RecordOutcome,
} from '../connector/crm-connector';
import { CrmCalls } from './crm-calls';
import { RecordFault } from './record-fault';

const credential: Credential = { key: 'portal-1' };

class FakeConnector implements CrmConnector<FakeMapped> {
  readonly destination = 'fake';
  readonly limits = { maxBatchSize: 10, callsPerWindow: 10, callWindowMs: 1_000 };
  answer: (batch: DeliveryBatch<FakeMapped>) => Promise<RecordOutcome[]> = async (batch) =>
    batch.records.map(({ key }) => delivered(`crm-${key}`));
  readonly batches: DeliveryBatch<FakeMapped>[] = [];
  budget: CallBudget | undefined;

  map(event: LeadEnrichedV1): FakeMapped {
    return { leadId: event.lead.lead_id };
  }

  deliver(batch: DeliveryBatch<FakeMapped>, context: { budget: CallBudget }): Promise<RecordOutcome[]> {
    this.batches.push(batch);
    this.budget = context.budget;
    return this.answer(batch);
  }

  classify(error: unknown): ConnectorError {
    return new ConnectorError('transient', `classified: ${(error as Error).message}`);
  }
}

describe('CrmCalls', () => {
  let connector: FakeConnector;
  let recorder: ReturnType<typeof fakeRecorder>;
  let metrics: { callCompleted: jest.Mock };
  let pacer: { forCall: jest.Mock; block: jest.Mock };
  let circuits: { execute: jest.Mock; openUntil: jest.Mock; park: jest.Mock };
  let outage: { answered: jest.Mock };
  let backoff: { reset: jest.Mock };
  let failures: { callFailed: jest.Mock; recordFailed: jest.Mock };
  let isolation: { isolate: jest.Mock };
  let calls: CrmCalls<FakeMapped>;
  const budget: CallBudget = { acquire: async () => undefined, report: () => undefined };

  beforeEach(() => {
    connector = new FakeConnector();
    recorder = fakeRecorder();
    metrics = { callCompleted: jest.fn() };
    pacer = { forCall: jest.fn(() => budget), block: jest.fn() };
    circuits = {
      execute: jest.fn((_accountId: string, call: () => Promise<unknown>) => call()),
      openUntil: jest.fn(() => 5_000),
      park: jest.fn(),
    };
    outage = { answered: jest.fn() };
    backoff = { reset: jest.fn() };
    failures = { callFailed: jest.fn(async () => undefined), recordFailed: jest.fn() };
    isolation = { isolate: jest.fn(async () => undefined) };
    calls = new CrmCalls({
      connector,
      metrics,
      recorder,
      pacer,
      circuits,
      outage,
      backoff,
      failures,
      isolation,
      signal: new AbortController().signal,
      now: () => 1_000,
    });
  });

  it('tells a pipelined delivery when it asks for the unit of its second request, once', async () => {
    const onSecondRequest = jest.fn();
    const seen: number[] = [];
    connector.answer = async (batch) => {
      await connector.budget?.acquire();
      seen.push(onSecondRequest.mock.calls.length);
      await connector.budget?.acquire();
      seen.push(onSecondRequest.mock.calls.length);
      await connector.budget?.acquire();
      return batch.records.map(({ key }) => delivered(`crm-${key}`));
    };
    await calls.run('a', credential, [pendingLead('l-0', 'a')], 1, onSecondRequest);

    expect(seen).toEqual([0, 1]);
    expect(onSecondRequest).toHaveBeenCalledTimes(1);
  });

  it("delivers the account's leads in one call through its breakers, with the credential's budget", async () => {
    const leads = [pendingLead('l-0', 'a'), pendingLead('l-1', 'a')];
    await calls.run('a', credential, leads, 7);

    expect(circuits.execute).toHaveBeenCalledWith('a', expect.any(Function));
    expect(pacer.forCall).toHaveBeenCalledWith(credential, expect.any(AbortSignal), 7);
    expect(connector.budget).toBe(budget);
    expect(connector.batches).toEqual([
      {
        accountId: 'a',
        records: leads.map((lead) => ({
          key: lead.lead.leadId,
          record: lead.mapped,
          event: lead.lead.event,
          attempt: 1,
        })),
      },
    ]);
    expect(recorder.delivered.mock.calls).toEqual([
      [leads[0], 'crm-l-0'],
      [leads[1], 'crm-l-1'],
    ]);
    expect(metrics.callCompleted).toHaveBeenCalledWith('ok', 2, 0);
    expect(backoff.reset).toHaveBeenCalledWith('a');
    expect(outage.answered).toHaveBeenCalled();
  });

  it('counts each call as an attempt of its leads', async () => {
    const lead = pendingLead('l-0', 'a');
    await calls.run('a', credential, [lead], 1);
    await calls.run('a', credential, [lead], 1);
    expect(lead.attempts).toBe(2);
    expect(connector.batches.map((batch) => batch.records[0]?.attempt)).toEqual([1, 2]);
  });

  it("hands a record's failure in an answered call to the failure policy", async () => {
    const refused = new ConnectorError('rejected', 'invalid phone');
    connector.answer = async () => [delivered('crm-1'), failed(refused)];
    const leads = [pendingLead('l-0', 'a'), pendingLead('l-1', 'a')];
    await calls.run('a', credential, leads, 1);

    expect(metrics.callCompleted).toHaveBeenCalledWith('partial', 2, 0);
    expect(failures.recordFailed).toHaveBeenCalledWith('a', leads[1], refused);
    expect(recorder.delivered).toHaveBeenCalledWith(leads[0], 'crm-1');
  });

  it('hands a record the CRM account declines (skipped) to the recorder, not to the failure policy', async () => {
    connector.answer = async () => [
      skipped('lead_source_archived', 'lead flow archived (204)'),
      delivered('crm-1'),
    ];
    const leads = [pendingLead('l-0', 'a'), pendingLead('l-1', 'a')];
    await calls.run('a', credential, leads, 1);

    expect(recorder.skipped).toHaveBeenCalledWith(
      leads[0],
      'lead_source_archived',
      'lead flow archived (204)',
    );
    expect(recorder.delivered).toHaveBeenCalledWith(leads[1], 'crm-1');
    expect(failures.recordFailed).not.toHaveBeenCalled();
    expect(recorder.deadLettered).not.toHaveBeenCalled();
    expect(metrics.callCompleted).toHaveBeenCalledWith('ok', 2, 0);
  });

  it('takes a wrong number of outcomes for a transient failure of the call', async () => {
    connector.answer = async () => [];
    const leads = [pendingLead('l-0', 'a')];
    await calls.run('a', credential, leads, 1);

    expect(metrics.callCompleted).toHaveBeenCalledWith('transient', 1, 0);
    expect(failures.callFailed).toHaveBeenCalledWith(
      'a',
      leads,
      expect.objectContaining({ kind: 'transient', message: 'connector returned 0 outcomes for 1 records' }),
    );
  });

  it("blocks the credential for every replica on a 429's Retry-After", async () => {
    const limited = new ConnectorError('rate_limited', '429', { retryAfterMs: 3_000 });
    connector.answer = async () => Promise.reject(limited);
    const leads = [pendingLead('l-0', 'a')];
    await calls.run('a', credential, leads, 1);

    expect(pacer.block).toHaveBeenCalledWith(credential, 3_000);
    expect(failures.callFailed).toHaveBeenCalledWith('a', leads, limited);
    expect(outage.answered).not.toHaveBeenCalled();
  });

  it("isolates a call that failed in our own code on a record's data", async () => {
    connector.answer = async () => {
      const note = undefined as unknown as { body: string };
      return [delivered(note.body)];
    };
    const leads = [pendingLead('l-0', 'a')];
    await calls.run('a', credential, leads, 1);

    expect(metrics.callCompleted).toHaveBeenCalledWith('record_fault', 1, 0);
    expect(isolation.isolate).toHaveBeenCalledWith('a', leads, expect.any(RecordFault));
    expect(failures.callFailed).not.toHaveBeenCalled();
  });

  it("parks the leads when the account's breaker is open, without calling", async () => {
    circuits.execute.mockRejectedValue(new BrokenCircuitError());
    const leads = [pendingLead('l-0', 'a')];
    await calls.run('a', credential, leads, 1);

    expect(connector.batches).toEqual([]);
    expect(circuits.park).toHaveBeenCalledWith('a', leads, 5_000, 1_000);
    expect(metrics.callCompleted).not.toHaveBeenCalled();
  });
});
