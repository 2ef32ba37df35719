/**
 * Where an operator opens a CRM record: a URL template per destination (`{id}` the record id, `{account}`
 * the account), with per-account templates, since each account has its own Salesforce org (its My Domain)
 * or HubSpot portal. E.g. `{"salesforce": {"accounts": {"acct-a": "https://a.lightning.force.com/lightning/r/{id}/view"}},
 * "hubspot": {"default": "https://app.hubspot.com/contacts/{account}/record/0-1/{id}"}}`.
 */
export type CrmRecordLinkSettings = Record<string, { default?: string; accounts?: Record<string, string> }>;

const TEMPLATE = /^https:\/\/[^\s{}]+(\{(id|account)\}[^\s{}]*)*$/;
const isTemplate = (value: unknown) =>
  typeof value === 'string' && TEMPLATE.test(value) && value.includes('{id}');

/** The problems of a CRM_RECORD_LINKS value; empty when it is valid. */
export function crmRecordLinkProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return ['must be a JSON object of destination → {"default", "accounts"}'];
  }
  const problems: string[] = [];
  const must = 'must be an https URL template with {id} (and optionally {account})';
  for (const [destination, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null) {
      problems.push(`${destination} must be an object`);
      continue;
    }
    const { default: fallback, accounts, ...extra } = entry as Record<string, unknown>;
    if (Object.keys(extra).length > 0)
      problems.push(`${destination} has unknown members: ${Object.keys(extra).join(', ')}`);
    if (fallback !== undefined && !isTemplate(fallback)) problems.push(`${destination}.default ${must}`);
    if (accounts !== undefined) {
      if (typeof accounts !== 'object' || accounts === null)
        problems.push(`${destination}.accounts must be an object`);
      else
        for (const [account, template] of Object.entries(accounts)) {
          if (!isTemplate(template)) problems.push(`${destination}.accounts.${account} ${must}`);
        }
    }
  }
  return problems;
}

export class CrmRecordLinks {
  constructor(private readonly settings: CrmRecordLinkSettings = {}) {}

  /** The record's URL in its CRM, or null when no template covers the destination and account. */
  urlOf(destination: string, accountId: string, recordId: string | null): string | null {
    const entry = this.settings[destination];
    const template = entry?.accounts?.[accountId] ?? entry?.default;
    if (!template || recordId === null) return null;
    return template
      .replaceAll('{id}', encodeURIComponent(recordId))
      .replaceAll('{account}', encodeURIComponent(accountId));
  }
}
