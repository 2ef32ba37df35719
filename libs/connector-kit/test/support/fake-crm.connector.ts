import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  ConnectorError,
  MappingError,
  delivered,
  failed,
  retryAfterMs,
  type ConnectorLimits,
  type CrmConnector,
  type DeliveryBatch,
  type RecordOutcome,
} from '../../src';

export interface FakeCrmRecord {
  leadId: string;
  email: string;
}

/** What the fake CRM answered to one call. */
export interface FakeCall {
  accountId: string;
  leadIds: string[];
  startedAt: number;
  endedAt: number;
  status: number;
  retryAfterMs?: number;
}

/** A failure the fake CRM's "HTTP API" answers with; `classify` maps it like a real connector would. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter?: string,
  ) {
    super(`CRM answered HTTP ${status}`);
  }
}

/**
 * An in-memory CRM behind a connector: upserts by lead id (a second write of a lead updates its record),
 * counts every call, and injects the failures the tests ask for. The CRM is a collaborator of the kit;
 * Kafka, in the tests, is real.
 */
export class FakeCrmConnector implements CrmConnector<FakeCrmRecord> {
  readonly records = new Map<string, { crmId: string; accountId: string; writes: number }>();
  readonly calls: FakeCall[] = [];
  /** Accounts whose every call fails with 503. */
  readonly failingAccounts = new Set<string>();
  /** Accounts throttled (429, Retry-After `retryAfterSeconds`) for the given number of calls more. */
  readonly throttledAccounts = new Map<string, number>();
  /** Accounts whose credentials the CRM refuses (401, even after a token refresh). */
  readonly unauthorizedAccounts = new Set<string>();
  /** Leads the CRM refuses (per record, as in a 207/partial response). */
  readonly rejectedLeads = new Set<string>();
  /** Leads the mapping cannot handle (until the test "fixes the mapping"). */
  readonly unmappableLeads = new Set<string>();
  /** Leads on which building the request fails in the connector's own code (a TypeError), failing the call. */
  readonly unbuildableLeads = new Set<string>();
  /** Every call fails with 503 (the CRM is down). */
  outage = false;
  /** Share of calls answered 429 (with Retry-After) or 503, alternately: exactly this share, evenly spread. */
  failureRate = 0;
  retryAfterSeconds = '0.3';
  latencyMs = 0;
  /** While set, calls wait for it (to crash mid-call). */
  hold: Promise<void> | undefined;
  private injected = 0;

  constructor(
    readonly destination: string,
    readonly limits: ConnectorLimits,
  ) {}

  map(event: LeadEnrichedV1): FakeCrmRecord {
    if (this.unmappableLeads.has(event.lead.lead_id)) {
      throw new MappingError(`no mapping for ${event.lead.contact.email}`);
    }
    return { leadId: event.lead.lead_id, email: event.lead.contact.email };
  }

  async deliver(batch: DeliveryBatch<FakeCrmRecord>): Promise<RecordOutcome[]> {
    const call: FakeCall = {
      accountId: batch.accountId,
      leadIds: batch.records.map((record) => record.key),
      startedAt: Date.now(),
      endedAt: 0,
      status: 200,
    };
    const index = this.calls.push(call) - 1;
    try {
      if (this.hold) await this.hold;
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      if (this.outage || this.failingAccounts.has(batch.accountId)) throw this.answer(call, 503);
      if (this.unauthorizedAccounts.has(batch.accountId)) throw this.answer(call, 401);
      const throttledFor = this.throttledAccounts.get(batch.accountId) ?? 0;
      if (throttledFor > 0) {
        this.throttledAccounts.set(batch.accountId, throttledFor - 1);
        throw this.answer(call, 429, this.retryAfterSeconds);
      }
      if (batch.records.some(({ record }) => this.unbuildableLeads.has(record.leadId))) {
        throw new TypeError("Cannot read properties of undefined (reading 'postalCode')");
      }
      if (Math.ceil((index + 1) * this.failureRate) > Math.ceil(index * this.failureRate)) {
        this.injected += 1;
        throw this.injected % 2 === 1
          ? this.answer(call, 429, this.retryAfterSeconds)
          : this.answer(call, 503);
      }
      return batch.records.map(({ record }) => {
        if (this.rejectedLeads.has(record.leadId)) {
          return failed(
            new ConnectorError('rejected', `INVALID_EMAIL_ADDRESS: ${record.email} is not deliverable`),
          );
        }
        const existing = this.records.get(record.leadId);
        const crmId = existing?.crmId ?? `crm-${this.records.size + 1}`;
        this.records.set(record.leadId, {
          crmId,
          accountId: batch.accountId,
          writes: (existing?.writes ?? 0) + 1,
        });
        return delivered(crmId);
      });
    } finally {
      call.endedAt = Date.now();
    }
  }

  classify(error: unknown): ConnectorError {
    if (error instanceof FakeHttpError && error.status === 429) {
      return new ConnectorError('rate_limited', error.message, {
        retryAfterMs: retryAfterMs(error.retryAfter),
      });
    }
    if (error instanceof FakeHttpError && error.status === 401)
      return new ConnectorError('auth', error.message);
    return new ConnectorError('transient', (error as Error).message);
  }

  callsOf(accountId: string): FakeCall[] {
    return this.calls.filter((call) => call.accountId === accountId);
  }

  private answer(call: FakeCall, status: number, retryAfter?: string): FakeHttpError {
    call.status = status;
    if (retryAfter !== undefined) call.retryAfterMs = retryAfterMs(retryAfter);
    return new FakeHttpError(status, retryAfter);
  }
}
