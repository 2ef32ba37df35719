import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { CrmSandboxClient, SandboxCrm, SandboxErrorRate } from '../crm-sandbox-client';
import type { SandboxedConnectorSetup } from './sandboxed-connector';

/** An account of the connector's accounts file and the tenant (org, portal) its credentials reach. */
export interface SuiteAccount {
  id: string;
  tenant: string;
}

/** A CRM record holding a lead, as the sandbox shows it. */
export interface CrmLeadRecord {
  /** The id a delivery event names as `crm_record_id`. */
  id: string;
  /** The connector's key of the record (e.g. HubSpot `rdc_lead_id`, Salesforce `Realtor_Lead_Id__c`). */
  key: string;
  /** How often the CRM wrote the record. */
  writes: number;
  /** The texts of its activity records (notes, Tasks), each ending with the marker of its lead. */
  activities: string[];
}

/** How to read what a connector left in its sandbox CRM. */
export interface CrmReader {
  /** Every lead record of a tenant. */
  recordsIn(client: CrmSandboxClient, tenant: string): Promise<CrmLeadRecord[]>;
  /** The record a delivered lead was written to (its own, or its person's). */
  recordOf(
    client: CrmSandboxClient,
    lead: LeadEnrichedV1,
    tenant: string,
  ): Promise<CrmLeadRecord | undefined>;
  /** The key `recordsIn` shows for the record of a lead of account `a` or `b`. */
  keyOf(lead: LeadEnrichedV1): string;
}

/**
 * What a connector supplies to run the kit's integration suite: its app and sandbox, two accounts in
 * tenants of their own, how to read its records, its CRM endpoints (as the sandbox's request log names
 * them) and how its CRM signals faults.
 */
export interface ConnectorSuiteSubject extends SandboxedConnectorSetup {
  crm: SandboxCrm;
  /** Leads of accounts the accounts file does not list go to `a`'s tenant (the connector's defaults). */
  accounts: { a: SuiteAccount; b: SuiteAccount };
  /** An account whose every lead leaves an activity (note, Task) beside its record: redelivery is tested on it. */
  activityAccount: SuiteAccount;
  /** Activity records one lead of `a` or `b` leaves (0 when the lead's record is all there is). */
  activitiesPerLead: number;
  /** The line ending the activity of a lead (connector-kit's `leadMarker`). */
  activityMarker(lead: LeadEnrichedV1): string;
  records: CrmReader;
  endpoints: {
    /** Writes the lead records, in batches. */
    upsert: string;
    /** Writes the activity records. */
    activity: string;
    /** Looks an activity up when an earlier write's answer was lost. */
    lookup: string;
  };
  faults: {
    /** Refusals the connector must retry (their rates add up to about 30 %), and the seed that spreads them. */
    retried: SandboxErrorRate[];
    seed: number;
    /** The record field that carries the lead's last name, for a validation rule refusing some leads. */
    lastNameField: string;
    /** How the dead letter of a refused lead gives the CRM's reason for `Test leads are not accepted`. */
    rejectionReason: RegExp;
    /** Makes the tenant refuse the connector's credentials until its faults are cleared. */
    refuseCredentials(client: CrmSandboxClient, tenant: string): Promise<void>;
    /** How the delivery event of a lead parked on refused credentials gives the error. */
    authError: RegExp;
  };
}
