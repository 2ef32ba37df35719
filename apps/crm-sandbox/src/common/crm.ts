import { EMULATED_CRMS, SANDBOX_CRMS, type EmulatedCrm } from '../sandbox-crms';

// Re-exported, not copied: sandbox-crms imports the CRM modules, some of which load this file, so a copy
// made while those load would be undefined.
/** The CRMs the sandbox emulates: the registry's connectors (libs/contracts' CONNECTORS) with a module. */
export { EMULATED_CRMS as CRMS } from '../sandbox-crms';
export type Crm = EmulatedCrm;

/** The CRM whose API a request path belongs to; undefined for the sandbox's own endpoints. */
export function crmOfPath(path: string): Crm | undefined {
  // The longest API path wins: one CRM's `/v1/records` lies under another's `/v1/`.
  const matching = EMULATED_CRMS.filter((crm) => path.startsWith(SANDBOX_CRMS[crm].apiPath));
  return matching.sort((a, b) => SANDBOX_CRMS[b].apiPath.length - SANDBOX_CRMS[a].apiPath.length)[0];
}
