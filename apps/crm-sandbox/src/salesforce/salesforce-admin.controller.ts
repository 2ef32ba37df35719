import { Controller, Get } from '@nestjs/common';
import {
  externalIdLeadCopy,
  LEAD_COPIES_ROUTE,
  leadCopiesOf,
  markedLeadCopy,
  type LeadCopy,
} from '../common/lead-copies';
import { SalesforceStore } from './salesforce-store.service';

/** The per-lead upsert key (`<account>:<lead id>`) of a Lead delivered in per-lead mode. */
const LEAD_KEY_FIELD = 'Realtor_Lead_Id__c';

/**
 * Admin API for tests: the lead copies of every org. Its route wins over the inspection module's
 * `sandbox/salesforce/:collection` because the CRM modules are registered first (lead-copies-endpoints.spec.ts
 * fails otherwise).
 */
@Controller('sandbox/salesforce')
export class SalesforceAdminController {
  constructor(private readonly store: SalesforceStore) {}

  /**
   * Per-lead mode: each Lead keyed by its account and lead id. Per-person mode (one Lead per person): each
   * Task whose description's marker line names the account's lead (a Task per inquiry).
   */
  @Get(LEAD_COPIES_ROUTE)
  leadCopies(): LeadCopy[] {
    return this.store
      .all()
      .flatMap((org) => [
        ...leadCopiesOf(org.ofType('Lead'), (lead) => externalIdLeadCopy(lead.fields[LEAD_KEY_FIELD])),
        ...leadCopiesOf(org.ofType('Task'), (task) => markedLeadCopy(task.fields['Description'])),
      ]);
  }
}
