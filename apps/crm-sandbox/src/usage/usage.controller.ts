import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import { CRMS, type Crm } from '../common/crm';
import { CrmPipe } from '../faults/crm.pipe';
import { FaultInjector } from '../faults/fault-injector.service';
import { KNOWN_TENANTS, knownTenant, type KnownTenants } from '../faults/known-tenants';
import { HubspotStore } from '../hubspot/hubspot-store.service';
import { SalesforceStore } from '../salesforce/salesforce-store.service';
import { ApiUsage, type CallCounts } from './api-usage.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Admin API: per tenant (and per HubSpot private app), what its calls used of the CRM's limits and how
 * many calls it made, by endpoint, so that a bench can tell calls per lead; and a reset to start over.
 */
@Controller('sandbox/usage')
export class UsageController {
  constructor(
    private readonly usage: ApiUsage,
    private readonly faults: FaultInjector,
    private readonly hubspot: HubspotStore,
    private readonly salesforce: SalesforceStore,
    @Inject(KNOWN_TENANTS) private readonly tenants: KnownTenants,
  ) {}

  @Get()
  all() {
    return Object.fromEntries(CRMS.map((crm) => [crm, this.describe(crm, undefined)]));
  }

  @Get(':crm')
  ofCrm(@Param('crm', CrmPipe) crm: Crm, @Query('tenant') tenant: string | undefined) {
    return this.describe(crm, knownTenant(this.tenants, crm, tenant));
  }

  /** Counts and limit windows start over: a fresh day, an empty ten-secondly window. */
  @Delete()
  @HttpCode(204)
  resetAll(): void {
    this.usage.reset();
  }

  @Delete(':crm')
  @HttpCode(204)
  reset(@Param('crm', CrmPipe) crm: Crm, @Query('tenant') tenant: string | undefined): void {
    this.usage.reset(crm, knownTenant(this.tenants, crm, tenant));
  }

  private describe(crm: Crm, tenant: string | undefined) {
    const now = Date.now();
    const wanted = (id: string) => tenant === undefined || id === tenant;
    if (crm === 'salesforce') {
      return this.salesforce
        .all()
        .filter(({ org }) => wanted(org.orgId))
        .map(({ org: { orgId } }) => {
          const usage = this.usage.salesforce(orgId);
          const limit = this.faults.dailyLimit('salesforce', orgId);
          const used = usage.daily.count(DAY_MS, now);
          return {
            orgId,
            daily: { limit, used, remaining: Math.max(0, limit - used), window: 'rolling-24h' },
            calls: counts(usage.calls),
          };
        });
    }
    return this.hubspot
      .all()
      .filter(({ portal }) => wanted(portal.portalId))
      .map(({ portal: { portalId, tokens } }) => {
        const usage = this.usage.hubspot(portalId);
        const limit = this.faults.dailyLimit('hubspot', portalId);
        const used = usage.daily.count(now);
        const rateLimit = this.faults.rateLimit('hubspot', portalId);
        return {
          portalId,
          daily: {
            limit,
            used,
            remaining: Math.max(0, limit - used),
            resetsAt: new Date(usage.daily.resetsAt(now)).toISOString(),
          },
          tenSecondly: rateLimit ? { max: rateLimit.max, windowMs: rateLimit.windowMs } : null,
          calls: counts(usage.calls),
          apps: tokens.map((token) => {
            const app = usage.app(token);
            return {
              token: maskToken(token),
              tenSecondlyUsed: rateLimit ? app.tenSecondly.count(rateLimit.windowMs, now) : 0,
              calls: counts(app.calls),
            };
          }),
        };
      });
  }
}

const counts = ({ total, byEndpoint, rejected }: CallCounts) => ({ total, byEndpoint, rejected });

/** Tokens are secrets: the admin API names an app by the token's first and last characters only. */
export function maskToken(token: string): string {
  return token.length <= 12 ? '…' : `${token.slice(0, 8)}…${token.slice(-4)}`;
}
