import { BrokenCircuitError } from 'cockatiel';
import type { CallBudget, Credential } from '../budget/call-budget';
import { ConnectorError } from '../connector/connector.error';
import { isFailure, type CrmConnector, type RecordOutcome } from '../connector/crm-connector';
import type { ConnectorMetrics } from '../metrics/connector-metrics';
import type { AccountCircuits } from './account-circuits';
import type { CallFailures } from './call-failures';
import type { CallPacer } from './call-pacer';
import { traceCrmCall } from './crm-call-span';
import { classifyCrmFailure } from './crm-failure';
import type { OutageControl } from './outage-control';
import type { LeadOutcomes, PendingLead } from './pending-lead';
import { RecordFault, recordFaultOf } from './record-fault';
import type { RecordIsolation } from './record-isolation';
import type { RetryBackoff } from './retry-backoff';

export interface CrmCallsOptions<Mapped> {
  connector: CrmConnector<Mapped>;
  metrics: Pick<ConnectorMetrics, 'callCompleted'>;
  recorder: Pick<LeadOutcomes, 'delivered' | 'skipped'>;
  pacer: Pick<CallPacer, 'forCall' | 'block'>;
  circuits: Pick<AccountCircuits, 'execute' | 'openUntil' | 'park'>;
  outage: Pick<OutageControl, 'answered'>;
  backoff: Pick<RetryBackoff, 'reset'>;
  failures: Pick<CallFailures<Mapped>, 'callFailed' | 'recordFailed'>;
  isolation: Pick<RecordIsolation<Mapped>, 'isolate'>;
  /** Aborted when the shutdown grace period is over. */
  signal: AbortSignal;
  now: () => number;
}

/**
 * One delivery call: runs it through the account's breakers with the credential's budget, counts it, and
 * hands its outcome on: each lead's result to the recorder or the failure policy, a failure of the call
 * as a whole to the failure policy, one on a record's own data to the isolation.
 */
export class CrmCalls<Mapped> {
  constructor(private readonly options: CrmCallsOptions<Mapped>) {}

  /**
   * `prepaid`: the unit of the call's first HTTP request is taken (the units left after it).
   * `onSecondRequest`: called when the delivery asks for the unit of its second HTTP request.
   */
  async run(
    accountId: string,
    credential: Credential,
    leads: PendingLead<Mapped>[],
    prepaid: number,
    onSecondRequest?: () => void,
  ): Promise<void> {
    const { connector, metrics, circuits, pacer, failures, now } = this.options;
    const startedAt = now();
    let outcomes: RecordOutcome[];
    try {
      outcomes = await circuits.execute(accountId, () =>
        traceCrmCall(connector.destination, accountId, leads, () =>
          this.deliver(accountId, leads, credential, prepaid, onSecondRequest),
        ),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const at = now();
        circuits.park(accountId, leads, circuits.openUntil(accountId, at) ?? at, at);
        return;
      }
      if (error instanceof RecordFault) {
        metrics.callCompleted('record_fault', leads.length, now() - startedAt);
        await this.options.isolation.isolate(accountId, leads, error);
        return;
      }
      const failure = classifyCrmFailure(connector, error);
      metrics.callCompleted(failure.kind, leads.length, now() - startedAt);
      if (failure.kind === 'rate_limited' && failure.retryAfterMs !== undefined) {
        pacer.block(credential, failure.retryAfterMs); // every replica waits, not only this account
      }
      await failures.callFailed(accountId, leads, failure);
      return;
    }

    const failed = outcomes.filter(isFailure).length;
    metrics.callCompleted(failed === 0 ? 'ok' : 'partial', leads.length, now() - startedAt);
    this.options.backoff.reset(accountId);
    this.options.outage.answered();
    outcomes.forEach((outcome, index) => {
      const lead = leads[index] as PendingLead<Mapped>;
      if (outcome.ok) this.options.recorder.delivered(lead, outcome.crmRecordId);
      else if ('skipped' in outcome) this.options.recorder.skipped(lead, outcome.skipped, outcome.detail);
      else failures.recordFailed(accountId, lead, classifyCrmFailure(connector, outcome.error));
    });
  }

  /** One CRM call: an outcome per lead, in order, or a ConnectorError for the call as a whole. */
  private async deliver(
    accountId: string,
    leads: PendingLead<Mapped>[],
    credential: Credential,
    prepaid: number,
    onSecondRequest: (() => void) | undefined,
  ): Promise<RecordOutcome[]> {
    const { connector, pacer, signal } = this.options;
    for (const lead of leads) lead.attempts += 1;
    try {
      const records = leads.map((lead) => ({
        key: lead.lead.leadId,
        record: lead.mapped,
        event: lead.lead.event,
        attempt: lead.attempts,
      }));
      const callBudget = pacer.forCall(credential, signal, prepaid);
      const budget = onSecondRequest ? watchSecondRequest(callBudget, onSecondRequest) : callBudget;
      const result = await connector.deliver({ accountId, records }, { signal, budget });
      if (!Array.isArray(result) || result.length !== leads.length) {
        throw new ConnectorError(
          'transient',
          `connector returned ${Array.isArray(result) ? result.length : 'no'} outcomes for ${leads.length} records`,
        );
      }
      return result;
    } catch (error) {
      throw recordFaultOf(error) ?? classifyCrmFailure(connector, error);
    }
  }
}

/** The budget as is, telling `onSecond` when the delivery asks for the unit of its second request. */
function watchSecondRequest(budget: CallBudget, onSecond: () => void): CallBudget {
  let requests = 0;
  return {
    acquire: () => {
      requests += 1;
      if (requests === 2) onSecond();
      return budget.acquire();
    },
    report: (report) => budget.report(report),
  };
}
