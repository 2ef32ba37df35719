import type { SandboxCrm } from '../crm-sandbox-client';
import type { ConnectorSuiteSubject, SuiteRejection } from './connector-suite-subject';

/** The message of the validation rule `validationRuleRejection` sets. */
export const REJECTION_MESSAGE = 'Test leads are not accepted';

/**
 * A rejection by the sandbox's validation rules (`/sandbox/faults`): the tenant refuses records whose
 * `lastNameField` starts with `Test`, as an org's validation rule would, until its faults are cleared.
 */
export function validationRuleRejection(
  crm: SandboxCrm,
  lastNameField: string,
  reason: RegExp,
): SuiteRejection {
  return {
    refuse: (client, tenant) =>
      client.setFaults(
        crm,
        { validationRules: [{ field: lastNameField, pattern: '^Test', message: REJECTION_MESSAGE }] },
        tenant,
      ),
    refused: (event) => {
      event.lead.contact.last_name = 'Testperson';
      event.enrichment.normalized.last_name = 'Testperson';
      return event;
    },
    accept: (client, tenant) => client.clearFaults(crm, tenant),
    reason,
  };
}

/** The subject's rejection (null: none), or the validation rule its `lastNameField` and `rejectionReason` describe. */
export function rejectionOf({ crm, faults }: ConnectorSuiteSubject): SuiteRejection | null {
  if (faults.rejection !== undefined) return faults.rejection;
  return validationRuleRejection(crm, faults.lastNameField, faults.rejectionReason);
}
