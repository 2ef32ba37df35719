import {
  SCHEDULER_SETTINGS,
  fakeRecorder,
  pendingLead,
  type FakeMapped,
} from '../../test/support/scheduler-fakes';
import { ConnectorError } from '../connector/connector.error';
import { AccountQueues } from './account-queues';
import { CallFailures } from './call-failures';
import type { PendingLead } from './pending-lead';

const NOW = 10_000;
const BACKOFF_MS = 100;

describe('CallFailures', () => {
  let recorder: ReturnType<typeof fakeRecorder>;
  let queues: AccountQueues<PendingLead<FakeMapped>>;
  let outage: {
    state: 'closed' | 'open' | 'half-open';
    openUntil: number;
    failed: jest.Mock;
    answered: jest.Mock;
  };
  let circuits: { openUntil: jest.Mock; park: jest.Mock };
  let metrics: { retried: jest.Mock };
  let resend: jest.Mock;
  let wake: jest.Mock;
  let stopped: boolean;
  let failures: CallFailures<FakeMapped>;
  let nextFor: jest.Mock;

  const leads = (...ids: string[]) => ids.map((id) => pendingLead(id, 'a'));
  const leadOf = (id: string, attempts = 0, inlineRetries = 0) =>
    Object.assign(pendingLead(id, 'a'), { attempts, inlineRetries });
  const queued = () => queues.drain('a').map((lead) => lead.lead.leadId);

  beforeEach(() => {
    recorder = fakeRecorder();
    queues = new AccountQueues(10);
    outage = { state: 'closed', openUntil: 0, failed: jest.fn(), answered: jest.fn() };
    circuits = { openUntil: jest.fn(() => undefined), park: jest.fn() };
    metrics = { retried: jest.fn() };
    resend = jest.fn(async () => undefined);
    wake = jest.fn();
    stopped = false;
    nextFor = jest.fn(() => BACKOFF_MS);
    failures = new CallFailures<FakeMapped>({
      settings: SCHEDULER_SETTINGS,
      recorder,
      metrics,
      queues,
      outage,
      circuits,
      backoff: { nextFor, delayOf: (steps) => steps * BACKOFF_MS },
      resend,
      wake,
      stopped: () => stopped,
      now: () => NOW,
    });
  });

  describe('a call that failed as a whole', () => {
    it('dead-letters a lone lead the CRM refused, and counts the CRM as answering', async () => {
      const lead = leadOf('lead-0');
      await failures.callFailed('a', [lead], new ConnectorError('rejected', 'bad email'));
      expect(recorder.deadLettered).toHaveBeenCalledWith(lead, 'rejected_by_crm', 'bad email');
      expect(outage.answered).toHaveBeenCalled();
      expect(outage.failed).not.toHaveBeenCalled();
    });

    it('halves a refused call until the offending leads are alone', async () => {
      const batch = leads('l-0', 'l-1', 'l-2');
      await failures.callFailed('a', batch, new ConnectorError('rejected', 'bad batch'));
      expect(resend.mock.calls).toEqual([
        ['a', batch.slice(0, 2)],
        ['a', batch.slice(2)],
      ]);
      expect(recorder.deadLettered).not.toHaveBeenCalled();
    });

    it('retries a transient failure in memory, holding the account back', async () => {
      const batch = leads('l-0', 'l-1');
      batch.forEach((lead) => (lead.attempts = 1));
      await failures.callFailed('a', batch, new ConnectorError('transient', '503'));

      expect(outage.failed).toHaveBeenCalledWith('a', expect.any(ConnectorError), NOW);
      expect(batch.map((lead) => lead.inlineRetries)).toEqual([1, 1]);
      expect(metrics.retried).toHaveBeenCalledWith('inline', 2);
      expect(queues.heldUntil('a', NOW)).toBe(NOW + BACKOFF_MS);
      expect(wake).toHaveBeenCalled();
      expect(queued()).toEqual(['l-0', 'l-1']);
    });

    it("holds the account for the CRM's Retry-After even when every lead was parked", async () => {
      const batch = [leadOf('l-0', 1, SCHEDULER_SETTINGS.inlineRetries)];
      const longerThanInMemory = SCHEDULER_SETTINGS.inlineMaxDelayMs + 2_000;
      await failures.callFailed(
        'a',
        batch,
        new ConnectorError('rate_limited', '429', { retryAfterMs: longerThanInMemory }),
      );

      expect(recorder.parked).toHaveBeenCalledWith(batch[0], expect.any(Number), {
        kind: 'rate_limited',
        reason: '429',
      });
      expect(queues.heldUntil('a', NOW)).toBe(NOW + longerThanInMemory);
    });

    it("does not grow the account's backoff for a wait the CRM named", async () => {
      await failures.callFailed(
        'a',
        leads('l-0'),
        new ConnectorError('rate_limited', '429', { retryAfterMs: 1_000 }),
      );
      expect(nextFor).not.toHaveBeenCalled();
      expect(queues.heldUntil('a', NOW)).toBe(NOW + 1_000);

      await failures.callFailed('a', leads('l-1'), new ConnectorError('unavailable', '503'));
      expect(nextFor).toHaveBeenCalledTimes(1);
    });

    it('dead-letters the leads that used up their attempts', async () => {
      const batch = [leadOf('l-0', SCHEDULER_SETTINGS.maxAttempts)];
      await failures.callFailed('a', batch, new ConnectorError('transient', '503'));
      expect(recorder.deadLettered).toHaveBeenCalledWith(
        batch[0],
        'retries_exhausted',
        expect.stringContaining('gave up'),
      );
    });

    it("parks the leads, and those queued, when the account's breaker opened", async () => {
      circuits.openUntil.mockReturnValue(NOW + 60_000);
      const queuedLead = pendingLead('queued', 'a');
      queues.add('a', queuedLead, NOW);
      const batch = [leadOf('l-0', 1)];
      await failures.callFailed('a', batch, new ConnectorError('transient', '503'));

      expect(recorder.parked).toHaveBeenCalledWith(batch[0], 60_000, { kind: 'transient', reason: '503' });
      expect(circuits.park).toHaveBeenCalledWith('a', [queuedLead], NOW + 60_000, NOW);
    });

    it.each([
      [
        'timing out',
        new ConnectorError('transient', 'timeout'),
        { attempts: SCHEDULER_SETTINGS.maxAttempts },
      ],
      [
        'refusing every call',
        new ConnectorError('unavailable', 'down'),
        { refusedCalls: SCHEDULER_SETTINGS.maxRefusedCalls - 1 },
      ],
    ])(
      'while the whole CRM is down (%s), keeps the leads in memory for the trial call unless they used up their calls',
      async (_how, failure, spent) => {
        outage.failed.mockImplementation(() => {
          outage.state = 'open';
          outage.openUntil = NOW + 60_000;
        });
        const batch = [leadOf('l-0', 1), Object.assign(leadOf('l-1'), spent)];
        await failures.callFailed('a', batch, failure);

        expect(recorder.deadLettered).toHaveBeenCalledTimes(1);
        expect(recorder.deadLettered).toHaveBeenCalledWith(
          batch[1],
          'retries_exhausted',
          expect.stringContaining('the CRM is down'),
        );
        expect(recorder.parked).not.toHaveBeenCalled();
        expect(queues.due(NOW + 59_999, () => false)).toEqual([]);
        expect(queues.due(NOW + 60_000, () => false)).toEqual(['a']);
        expect(queued()).toEqual(['l-0']);
      },
    );

    it('after stop leaves the leads unsettled (redelivered after the restart)', async () => {
      stopped = true;
      await failures.callFailed('a', leads('l-0'), new ConnectorError('transient', '503'));
      await failures.callFailed('a', leads('l-1', 'l-2'), new ConnectorError('rejected', 'no'));
      expect(recorder.parked).not.toHaveBeenCalled();
      expect(recorder.deadLettered).not.toHaveBeenCalled();
      expect(resend).not.toHaveBeenCalled();
      expect(queued()).toEqual([]);
    });
  });

  describe('a record the CRM failed in an answered call', () => {
    it('retries it in memory, holding the account only when rate limited', () => {
      const lead = leadOf('l-0', 1);
      failures.recordFailed('a', lead, new ConnectorError('transient', 'timeout'));
      expect(queues.heldUntil('a', NOW)).toBeUndefined();
      expect(lead.inlineRetries).toBe(1);

      failures.recordFailed('a', lead, new ConnectorError('rate_limited', '429', { retryAfterMs: 1_000 }));
      expect(queues.heldUntil('a', NOW)).toBe(NOW + 1_000);
      expect(queued()).toEqual(['l-0', 'l-0']);
    });

    it('parks it once its in-memory retries are spent, and dead-letters a rejection', () => {
      const spent = leadOf('spent', 4, SCHEDULER_SETTINGS.inlineRetries);
      const rejected = leadOf('rejected');
      failures.recordFailed('a', spent, new ConnectorError('transient', 'timeout'));
      failures.recordFailed('a', rejected, new ConnectorError('rejected', 'invalid phone'));

      expect(recorder.parked).toHaveBeenCalledWith(spent, expect.any(Number), {
        kind: 'transient',
        reason: 'timeout',
      });
      expect(recorder.deadLettered).toHaveBeenCalledWith(rejected, 'rejected_by_crm', 'invalid phone');
    });

    it('after stop still dead-letters a rejection but leaves a retryable failure unsettled', () => {
      stopped = true;
      const [retryable, rejected] = [leadOf('retryable'), leadOf('rejected')];
      failures.recordFailed('a', retryable, new ConnectorError('transient', 'timeout'));
      failures.recordFailed('a', rejected, new ConnectorError('rejected', 'invalid phone'));
      expect(recorder.deadLettered).toHaveBeenCalledTimes(1);
      expect(recorder.parked).not.toHaveBeenCalled();
      expect(queued()).toEqual([]);
    });
  });
});
