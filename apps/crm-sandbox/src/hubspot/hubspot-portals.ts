/** A HubSpot account and the private-app token that calls its API. */
export interface HubspotPortal {
  portalId: string;
  token: string;
}

export const HUBSPOT_PORTALS = Symbol('HUBSPOT_PORTALS');

export function parseHubspotPortals(entries: string[]): HubspotPortal[] {
  return entries.map((entry) => {
    const colon = entry.indexOf(':');
    return { portalId: entry.slice(0, colon), token: entry.slice(colon + 1) };
  });
}
