import { EMULATED_CRMS, SANDBOX_CRMS, type EmulatedCrm } from '../sandbox-crms';

/** The CRMs the sandbox emulates: the registry's connectors (libs/contracts' CONNECTORS) with a module. */
export const CRMS = EMULATED_CRMS;
export type Crm = EmulatedCrm;

/** The CRM whose API a request path belongs to; undefined for the sandbox's own endpoints. */
export function crmOfPath(path: string): Crm | undefined {
  return CRMS.find((crm) => path.startsWith(SANDBOX_CRMS[crm].apiPath));
}
