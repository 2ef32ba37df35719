import { Injectable, NotFoundException } from '@nestjs/common';
import type { Crm } from '../common/crm';
import { FaultInjector } from '../faults/fault-injector.service';
import { SandboxCrmView } from '../inspection/sandbox-crm-view';
import type { SeedHistoryDto } from '../seed/seed-history.dto';
import type { SeedResult } from '../seed/seeded-history';
import { ApiUsage, usedCalls } from '../usage/api-usage.service';
import { seedHubspotHistory } from './hubspot-history';
import { HubspotStore } from './hubspot-store.service';

/** The fake HubSpot in the shared admin endpoints: its portals (tenants), their usage, history seeding. */
@Injectable()
export class HubspotSandboxView extends SandboxCrmView {
  readonly crm: Crm = 'hubspot';

  constructor(
    private readonly store: HubspotStore,
    private readonly apiUsage: ApiUsage,
    private readonly faults: FaultInjector,
  ) {
    super();
  }

  summary(now: number) {
    return {
      portals: this.store.all().map((portal) => ({
        portalId: portal.portal.portalId,
        contacts: portal.contacts.size,
        notes: portal.notes.size,
        dailyUsage: this.apiUsage.hubspot(portal.portal.portalId).daily.count(now),
      })),
    };
  }

  /** Per portal, and per private app (token, masked) of it: HubSpot's ten-secondly limit is per app. */
  usage(tenant: string | undefined, now: number) {
    return this.store
      .all()
      .filter(({ portal }) => tenant === undefined || portal.portalId === tenant)
      .map(({ portal: { portalId, tokens } }) => {
        const usage = this.apiUsage.hubspot(portalId);
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
          calls: usedCalls(usage.calls),
          apps: tokens.map((token) => {
            const app = usage.app(token);
            return {
              token: maskToken(token),
              tenSecondlyUsed: rateLimit ? app.tenSecondly.count(rateLimit.windowMs, now) : 0,
              calls: usedCalls(app.calls),
            };
          }),
        };
      });
  }

  resetUsage(tenant: string | undefined): void {
    this.apiUsage.reset('hubspot', tenant);
  }

  override seedHistory(history: SeedHistoryDto, tenant: string | undefined, now: number): SeedResult {
    const portal = tenant ? this.store.portal(tenant) : this.store.all()[0];
    if (!portal) throw new NotFoundException(`no HubSpot portal ${tenant}`);
    return seedHubspotHistory(portal, history, now);
  }
}

/** Tokens are secrets: the admin API names an app by the token's first and last characters only. */
function maskToken(token: string): string {
  return token.length <= 12 ? '…' : `${token.slice(0, 8)}…${token.slice(-4)}`;
}
