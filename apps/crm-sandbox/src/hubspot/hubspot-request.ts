import { bearerToken } from '../common/bearer-token';
import type { SandboxRequest } from '../common/sandbox-request';
import { HubspotStore, type PortalData } from './hubspot-store.service';
import { credentialsNotFound } from './hubspot.error';

/** The portal of an authenticated call (HubspotApiGuard has checked the token). */
export function portalOf(req: SandboxRequest, store: HubspotStore): PortalData {
  const portal = store.byToken(bearerToken(req));
  if (!portal) throw credentialsNotFound();
  return portal;
}
