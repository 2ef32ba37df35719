import { Injectable, NotFoundException } from '@nestjs/common';
import type { Crm } from '../common/crm';
import { FaultInjector } from '../faults/fault-injector.service';
import { SandboxCrmView } from '../inspection/sandbox-crm-view';
import type { SeedHistoryDto } from '../seed/seed-history.dto';
import type { SeedResult } from '../seed/seeded-history';
import { ApiUsage, usedCalls } from '../usage/api-usage.service';
import { seedSalesforceHistory } from './salesforce-history';
import { SalesforceDml } from './salesforce-dml.service';
import { normalizeId } from './salesforce-id';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The fake Salesforce in the shared admin endpoints: its orgs (tenants), their usage, history seeding. */
@Injectable()
export class SalesforceSandboxView extends SandboxCrmView {
  readonly crm: Crm = 'salesforce';

  constructor(
    private readonly store: SalesforceStore,
    private readonly sessions: SalesforceSessions,
    private readonly dml: SalesforceDml,
    private readonly apiUsage: ApiUsage,
    private readonly faults: FaultInjector,
  ) {
    super();
  }

  summary(now: number) {
    return {
      orgs: this.store.all().map((org) => ({
        orgId: org.org.orgId,
        leads: org.ofType('Lead').length,
        tasks: org.ofType('Task').length,
        notes: org.ofType('Note').length,
        apiUsage: this.apiUsage.salesforce(org.org.orgId).daily.count(DAY_MS, now),
        activeSessions: this.sessions.countFor(org.org.orgId),
      })),
    };
  }

  usage(tenant: string | undefined, now: number) {
    return this.store
      .all()
      .filter(({ org }) => tenant === undefined || org.orgId === tenant)
      .map(({ org: { orgId } }) => {
        const usage = this.apiUsage.salesforce(orgId);
        const limit = this.faults.dailyLimit('salesforce', orgId);
        const used = usage.daily.count(DAY_MS, now);
        return {
          orgId,
          daily: { limit, used, remaining: Math.max(0, limit - used), window: 'rolling-24h' },
          calls: usedCalls(usage.calls),
        };
      });
  }

  resetUsage(tenant: string | undefined): void {
    this.apiUsage.reset('salesforce', tenant);
  }

  override seedHistory(history: SeedHistoryDto, tenant: string | undefined, now: number): SeedResult {
    const org = tenant ? this.store.org(normalizeId(tenant) ?? tenant) : this.store.all()[0];
    if (!org) throw new NotFoundException(`no Salesforce org ${tenant}`);
    return seedSalesforceHistory(this.dml, org, history, now);
  }
}
