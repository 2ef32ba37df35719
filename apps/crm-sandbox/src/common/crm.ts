export const CRMS = ['salesforce', 'hubspot'] as const;
export type Crm = (typeof CRMS)[number];

/** The CRM whose API a request path belongs to; undefined for the sandbox's own endpoints. */
export function crmOfPath(path: string): Crm | undefined {
  if (path.startsWith('/services/')) return 'salesforce';
  if (path.startsWith('/crm/')) return 'hubspot';
  return undefined;
}
