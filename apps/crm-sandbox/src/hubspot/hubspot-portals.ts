/** A HubSpot account and the private-app tokens that call its API (one per app installed in it). */
export interface HubspotPortal {
  portalId: string;
  tokens: string[];
}

export const HUBSPOT_PORTALS = Symbol('HUBSPOT_PORTALS');

/** `<portalId>:<token>` entries; a portal named twice has two private apps, each with its own token. */
export function parseHubspotPortals(entries: string[]): HubspotPortal[] {
  const portals = new Map<string, HubspotPortal>();
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const portalId = entry.slice(0, colon);
    const token = entry.slice(colon + 1);
    const portal = portals.get(portalId);
    if (portal) portal.tokens.push(token);
    else portals.set(portalId, { portalId, tokens: [token] });
  }
  return [...portals.values()];
}
