import { KEY_PREFIXES, normalizeId, salesforceId } from './salesforce-id';

/** An org and the client-credentials app that signs in to it (its run-as user makes every change). */
export interface SalesforceOrg {
  orgId: string;
  userId: string;
  clientId: string;
  clientSecret: string;
}

export function parseSalesforceOrgs(entries: string[]): SalesforceOrg[] {
  return entries.map((entry, index) => {
    const [orgId = '', clientId = '', clientSecret = ''] = entry.split(':');
    return {
      orgId: normalizeId(orgId) ?? orgId,
      userId: salesforceId(KEY_PREFIXES.User, index + 1),
      clientId,
      clientSecret,
    };
  });
}
