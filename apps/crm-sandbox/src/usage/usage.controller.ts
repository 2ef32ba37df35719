import { Controller, Delete, Get, HttpCode, Inject, Param, Query } from '@nestjs/common';
import type { Crm } from '../common/crm';
import { CrmPipe } from '../faults/crm.pipe';
import { KNOWN_TENANTS, knownTenant, type KnownTenants } from '../faults/known-tenants';
import { SandboxCrmViews } from '../inspection/sandbox-crm-views';

/**
 * Admin API: per tenant of each CRM (and per HubSpot private app), what its calls used of the CRM's limits
 * and, where the CRM counts them, its calls by endpoint, so that a bench can tell calls per lead; and a
 * reset to start over. Each CRM module's SandboxCrmView describes its own tenants.
 */
@Controller('sandbox/usage')
export class UsageController {
  constructor(
    private readonly views: SandboxCrmViews,
    @Inject(KNOWN_TENANTS) private readonly tenants: KnownTenants,
  ) {}

  @Get()
  all() {
    const now = Date.now();
    return Object.fromEntries(this.views.all().map((view) => [view.crm, view.usage(undefined, now)]));
  }

  @Get(':crm')
  ofCrm(@Param('crm', CrmPipe) crm: Crm, @Query('tenant') tenant: string | undefined) {
    return this.views.of(crm).usage(knownTenant(this.tenants, crm, tenant), Date.now());
  }

  /** Counts and limit windows start over: a fresh day, empty ten-secondly windows. */
  @Delete()
  @HttpCode(204)
  resetAll(): void {
    for (const view of this.views.all()) view.resetUsage(undefined);
  }

  @Delete(':crm')
  @HttpCode(204)
  reset(@Param('crm', CrmPipe) crm: Crm, @Query('tenant') tenant: string | undefined): void {
    this.views.of(crm).resetUsage(knownTenant(this.tenants, crm, tenant));
  }
}
