import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { CallLimiter } from '../../src/budget/call-limiter';
import type { DeliverySettings } from '../../src/config/connector-kit.config';
import type { PendingLead } from '../../src/pipeline/delivery-scheduler';

/** Settings for unit specs of the scheduler: fast backoff, a generous rate, breakers far away. */
export const SCHEDULER_SETTINGS: DeliverySettings = {
  maxBatchSize: 10,
  callsPerWindow: 10_000,
  callWindowMs: 1_000,
  dailyAlertShare: 0.8,
  dailyThrottleShare: 0.95,
  maxConcurrentCalls: 4,
  maxInFlight: 100,
  maxAttempts: 8,
  maxRefusedCalls: 48,
  recordMaxAttempts: 3,
  inlineRetries: 3,
  inlineMaxDelayMs: 5_000,
  backoffInitialMs: 1,
  backoffMaxMs: 5,
  parkDelayInitialMs: 10_000,
  parkDelayMaxMs: 60_000,
  breakerThreshold: 3,
  breakerHalfOpenMs: 60_000,
  outageThreshold: 3,
  outagePauseMs: 60_000,
  shutdownGraceMs: 1_000,
};

export interface FakeMapped {
  leadId: string;
}

/** An outcome recorder that only remembers what it was told. */
export function fakeRecorder() {
  return {
    delivered: jest.fn(),
    skipped: jest.fn(),
    deadLettered: jest.fn(),
    parked: jest.fn(),
    idle: async () => undefined,
    abandon: () => undefined,
  };
}

export function pendingLead(leadId: string, accountId = 'acct-1'): PendingLead<FakeMapped> {
  const event = { lead: { lead_id: leadId, timestamp: new Date().toISOString() } } as LeadEnrichedV1;
  return {
    lead: { event, leadId, accountId, previousAttempts: 0, previousRefusedCalls: 0 },
    record: {
      topic: 'leads.enriched.v1',
      partition: 0,
      offset: leadId,
      key: leadId,
      value: null,
      headers: {},
      timestamp: '0',
    },
    attempts: 0,
    refusedCalls: 0,
    settle: () => undefined,
    mapped: { leadId },
    inlineRetries: 0,
  };
}

/** A call budget that never runs out (and keeps no timers): specs about something else than budgets. */
export const unlimitedCalls: CallLimiter = {
  take: async () => ({ wait: 0, remaining: 1_000 }),
  spend: async () => undefined,
  block: async () => undefined,
};
