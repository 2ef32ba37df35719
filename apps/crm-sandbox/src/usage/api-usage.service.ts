import { Injectable } from '@nestjs/common';
import type { Crm } from '../common/crm';
import { RollingWindow } from '../faults/rolling-window';
import { UtcDayCounter } from './utc-day-counter';

/** Why a call was turned away by a limit: HubSpot's policy names, Salesforce's error code. */
export type LimitRejection = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'REQUEST_LIMIT_EXCEEDED';

/** Calls a limit counted, by endpoint, and calls a limit turned away, by why. */
export class CallCounts {
  total = 0;
  byEndpoint: Record<string, number> = {};
  rejected: Partial<Record<LimitRejection, number>> = {};

  served(endpoint: string): void {
    this.total += 1;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
  }

  reject(reason: LimitRejection): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }
}

/** How the admin API shows a CallCounts. */
export const usedCalls = ({ total, byEndpoint, rejected }: CallCounts) => ({ total, byEndpoint, rejected });

/** One private app (token) of a portal: HubSpot's ten-secondly limit is per app. */
export class HubspotAppUsage {
  readonly tenSecondly = new RollingWindow();
  readonly calls = new CallCounts();
}

/** A portal: the daily limit is per account, shared by its apps. */
export class HubspotPortalUsage {
  readonly daily = new UtcDayCounter();
  readonly calls = new CallCounts();
  private readonly apps = new Map<string, HubspotAppUsage>();

  app(token: string): HubspotAppUsage {
    let app = this.apps.get(token);
    if (!app) this.apps.set(token, (app = new HubspotAppUsage()));
    return app;
  }
}

/** An org: the API request allocation is per org, over a rolling 24 h. */
export class SalesforceOrgUsage {
  readonly daily = new RollingWindow();
  /** For the admin API's short-window `rateLimit` fault. */
  readonly window = new RollingWindow();
  readonly calls = new CallCounts();
}

/**
 * What each tenant's calls used of its CRM limits, as the CRM counts them, and how many calls it made, by
 * endpoint. Only API calls that reach the limits count (not the Salesforce token endpoint, not seeding).
 */
@Injectable()
export class ApiUsage {
  private readonly portals = new Map<string, HubspotPortalUsage>();
  private readonly orgs = new Map<string, SalesforceOrgUsage>();

  hubspot(portalId: string): HubspotPortalUsage {
    let usage = this.portals.get(portalId);
    if (!usage) this.portals.set(portalId, (usage = new HubspotPortalUsage()));
    return usage;
  }

  salesforce(orgId: string): SalesforceOrgUsage {
    let usage = this.orgs.get(orgId);
    if (!usage) this.orgs.set(orgId, (usage = new SalesforceOrgUsage()));
    return usage;
  }

  /** Forgets the usage of one tenant, of one CRM, or of all. */
  reset(crm?: Crm, tenant?: string): void {
    for (const [name, tenants] of [
      ['hubspot', this.portals],
      ['salesforce', this.orgs],
    ] as const) {
      if (crm !== undefined && crm !== name) continue;
      if (tenant === undefined) tenants.clear();
      else tenants.delete(tenant);
    }
  }
}
