import {
  ConnectorError,
  delivered,
  leadRefOf,
  nothingWritten,
  skipped,
  type ConnectorLimits,
  type Credential,
  type CrmConnector,
  type DeliveryBatch,
  type DeliveryContext,
  type DeliveryRecord,
  type RecordOutcome,
} from '@lead-delivery/connector-kit';
import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import {
  followupbossCredentialOf,
  type FollowupbossAccounts,
  type FollowupbossCredentials,
} from './accounts/followupboss-accounts';
import { mapFollowupbossEvent, type FubEvent } from './event/followupboss-event.mapper';
import type { ApiCall, FollowupbossApi } from './followupboss-api/followupboss-api.client';
import { wasRefused } from './followupboss-api/followupboss-api.error';
import { classifyFollowupbossFailure } from './followupboss-failure.classifier';

/**
 * Leads into Follow Up Boss as events (POST /v1/events, never /v1/people), so that Lead Flow assigns the
 * lead, its agent is notified and action plans run. Follow Up Boss merges the person by email and phone
 * itself. One call per lead: the API has no batch endpoint.
 */
export class FollowupbossConnector implements CrmConnector<FubEvent> {
  readonly destination = 'followupboss';
  /**
   * 250 calls per sliding 10 s is the `global` limit of a registered system (POST /v1/events has its own
   * context, documented as unlimited; the X-RateLimit-* headers of its answers lower the budget if not).
   */
  readonly limits: ConnectorLimits = { maxBatchSize: 1, callsPerWindow: 250, callWindowMs: 10_000 };

  constructor(
    private readonly accounts: FollowupbossAccounts,
    private readonly api: FollowupbossApi,
  ) {}

  map(event: LeadEnrichedV1): FubEvent {
    return mapFollowupbossEvent(event, this.accounts.of(event.routing.account_id));
  }

  async deliver(
    { accountId, records }: DeliveryBatch<FubEvent>,
    { signal, budget }: DeliveryContext,
  ): Promise<RecordOutcome[]> {
    const { credentials } = this.accounts.of(accountId);
    if (!credentials)
      throw new ConnectorError('auth', `no Follow Up Boss API key is configured for account ${accountId}`);
    const outcomes: RecordOutcome[] = [];
    for (const record of records)
      outcomes.push(await this.deliverOne(credentials, record, { signal, budget }));
    return outcomes;
  }

  classify(error: unknown): ConnectorError {
    return classifyFollowupbossFailure(error);
  }

  credentialOf(accountId: string): Credential {
    return followupbossCredentialOf(this.accounts.of(accountId));
  }

  private async deliverOne(
    credentials: FollowupbossCredentials,
    { record, event, outcomeUnknown }: DeliveryRecord<FubEvent>,
    call: ApiCall,
  ): Promise<RecordOutcome> {
    // Events have no external id: a lead whose earlier call may have been carried out (its answer lost) is
    // looked for by the marker in its event's description before it is sent again.
    if (outcomeUnknown !== false) {
      const email = record.person.emails[0]?.value ?? '';
      const personId = await this.api
        .findLeadEvent(credentials, email, leadRefOf(event), call)
        .catch((error: unknown) => Promise.reject(nothingWritten(error)));
      if (personId) return delivered(personId);
    }
    let result;
    try {
      result = await this.api.postEvent(credentials, record, call);
    } catch (error) {
      throw wasRefused(error) ? nothingWritten(error) : error;
    }
    if (result.outcome !== 'archived') return delivered(result.personId);
    // 204: the account archived this source's lead flow and Follow Up Boss ignored the event, writing
    // nothing. The account's choice, not a failure: a retry or a replay would be ignored the same way.
    return skipped(
      'lead_source_archived',
      `lead flow archived: Follow Up Boss ignored the event of source "${record.source}" (204)`,
    );
  }
}
