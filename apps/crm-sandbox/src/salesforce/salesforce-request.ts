import { sandboxContext, type SandboxRequest } from '../common/sandbox-request';
import type { SaveError, SaveOptions } from './salesforce-dml.service';
import type { SalesforceRestError } from './salesforce.error';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore, type OrgData } from './salesforce-store.service';
import { bearerToken } from '../common/bearer-token';
import { sessionInvalid } from './salesforce.error';

/** The org of an authenticated call (SalesforceApiGuard has checked the token). */
export function orgOf(req: SandboxRequest, sessions: SalesforceSessions, store: SalesforceStore): OrgData {
  const org = store.org(sessions.find(bearerToken(req))?.org.orgId ?? '');
  if (!org) throw sessionInvalid();
  sandboxContext(req).tenant = org.org.orgId;
  return org;
}

export function saveOptionsOf(req: SandboxRequest): SaveOptions {
  return {
    allowSave: /allowSave\s*=\s*true/i.test(String(req.headers['sforce-duplicate-rule-header'] ?? '')),
  };
}

/** Single-record REST errors name the code `errorCode`; collection results name it `statusCode`. */
export const asRestErrors = (errors: SaveError[]): SalesforceRestError[] =>
  errors.map(({ statusCode, message, fields }) => ({ message, errorCode: statusCode, fields }));
