import {
  erasureTargetOf,
  type ConnectorError,
  type Credential,
  type CrmEraser,
  type ErasureCommand,
  type ErasureContext,
  type ErasureReport,
} from '@lead-delivery/connector-kit';
import { followupbossCredentialOf, type FollowupbossAccounts } from '../accounts/followupboss-accounts';
import type { FollowupbossErasureApi } from '../followupboss-api/followupboss-api.client';
import { classifyFollowupbossFailure } from '../followupboss-failure.classifier';

/**
 * Erases a person from an account's Follow Up Boss: DELETE /v1/people/:id of each person the person's leads
 * were delivered to (the delivery's record id is the person id). Follow Up Boss offers nothing finer (its
 * API cannot delete an event), so there is no per-account mode. A person
 * already gone counts as erased, so a redelivered request finds nothing left to do. Every call draws on the
 * API key's call budget, the one its deliveries use.
 */
export class FollowupbossEraser implements CrmEraser {
  readonly destination = 'followupboss';

  constructor(
    private readonly accounts: FollowupbossAccounts,
    private readonly api: FollowupbossErasureApi,
  ) {}

  async erase(command: ErasureCommand, call: ErasureContext): Promise<ErasureReport> {
    const {
      credentials,
      recordIds: personIds,
      withoutRecord,
    } = erasureTargetOf(command, this.accounts, 'no Follow Up Boss API key is configured');
    const counts = { people: personIds.length, leads_without_person: withoutRecord, people_deleted: 0 };
    for (const personId of personIds) {
      if ((await this.api.deletePerson(credentials, personId, call)) === 'deleted')
        counts.people_deleted += 1;
    }
    return { method: 'deleted', counts };
  }

  classify(error: unknown): ConnectorError {
    return classifyFollowupbossFailure(error);
  }

  credentialOf(accountId: string): Credential {
    return followupbossCredentialOf(this.accounts.of(accountId));
  }
}
