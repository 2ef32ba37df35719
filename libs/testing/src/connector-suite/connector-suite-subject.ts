import type { LeadEnrichedV1 } from '@lead-delivery/contracts';
import type { CrmSandboxClient, SandboxCrm, SandboxErrorRate } from '../crm-sandbox-client';
import type { SandboxedConnectorSetup } from './sandboxed-connector';
import type { SuiteEndpoint } from './suite-endpoint';

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

/** How a tenant is made to refuse some leads (dead-lettered with its reason) and to accept them again. */
export interface SuiteRejection {
  /** From now on the tenant refuses the leads `refused` made. */
  refuse(client: CrmSandboxClient, tenant: string): Promise<void>;
  /** A lead of the refusing tenant's account, made one it refuses (it may be routed to another account of that tenant). */
  refused(lead: LeadEnrichedV1): LeadEnrichedV1;
  accept(client: CrmSandboxClient, tenant: string): Promise<void>;
  /** How the dead letter of a refused lead gives the CRM's reason. */
  reason: RegExp;
}

/**
 * How some leads are refused: by the sandbox's validation rule on the record field carrying the last name
 * (a rejection `validationRuleRejection` makes, whose dead letters give `rejectionReason`), otherwise, or
 * not at all (`null`: the fake CRM cannot be made to refuse single leads; refusals are then not tested).
 */
export type SuiteRefusals =
  | { lastNameField: string; rejectionReason: RegExp; rejection?: never }
  | { rejection: SuiteRejection | null; lastNameField?: never; rejectionReason?: never };

/**
 * What a connector supplies to run the kit's integration suite: its app and sandbox, two accounts in
 * tenants of their own, how to read its records, its CRM endpoints (as the sandbox's request log names
 * them) and how its CRM signals faults.
 */
export interface ConnectorSuiteSubject extends SandboxedConnectorSetup {
  crm: SandboxCrm;
  /** Leads of accounts the accounts file does not list go to `a`'s tenant (the connector's defaults). */
  accounts: { a: SuiteAccount; b: SuiteAccount };
  /**
   * An account whose every lead leaves an activity (note, Task) beside its record: redelivery is tested on
   * it. Absent when the connector writes no activities (with `activityMarker`, `endpoints.activity` and
   * `endpoints.lookup`): its record, upserted by key, is then all a redelivery can write again.
   */
  activityAccount?: SuiteAccount;
  /** Activity records one lead of `a` or `b` leaves (0 when the lead's record is all there is). */
  activitiesPerLead: number;
  /** The line ending the activity of a lead (connector-kit's `leadMarker`). */
  activityMarker?(lead: LeadEnrichedV1): string;
  records: CrmReader;
  /** How the connector writes lead records: many in a call (default), or one call per lead (a CRM without batch endpoint). */
  batching?: 'batched' | 'per-lead';
  endpoints: {
    /** Writes the lead records. */
    upsert: SuiteEndpoint;
    /** Writes the activity records (the same endpoint as `upsert` when the record is its activity). */
    activity?: SuiteEndpoint;
    /** Looks an activity up when an earlier write's answer was lost (one call per lookup). */
    lookup?: SuiteEndpoint;
  };
  faults: SuiteRefusals & {
    /**
     * Refusals the connector must retry (their rates add up to about 30 %, a 429 among them with its
     * Retry-After), the seed that spreads them, and how many leads are sent through them (default 1,000).
     */
    retried: SandboxErrorRate[];
    seed: number;
    leads?: number;
    /** Makes the tenant refuse the connector's credentials until its faults are cleared. */
    refuseCredentials(client: CrmSandboxClient, tenant: string): Promise<void>;
    /** How the delivery event of a lead parked on refused credentials gives the error. */
    authError: RegExp;
  };
}

/** What redelivery is tested on: the activities of a connector that writes them. */
export interface SuiteActivities {
  account: SuiteAccount;
  marker(lead: LeadEnrichedV1): string;
  endpoint: SuiteEndpoint;
  lookup: SuiteEndpoint;
}

/** The subject's activities; undefined when it writes none. */
export function activitiesOf(subject: ConnectorSuiteSubject): SuiteActivities | undefined {
  const { activityAccount: account, activityMarker: marker } = subject;
  const { activity: endpoint, lookup } = subject.endpoints;
  if (!account || !marker || !endpoint || !lookup) return undefined;
  return { account, marker, endpoint, lookup };
}
