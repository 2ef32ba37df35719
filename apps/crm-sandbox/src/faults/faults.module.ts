import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { SandboxAppConfig } from '../app.config';
import { CrmEndpoints } from '../common/crm-endpoints';
import { parseHubspotPortals } from '../hubspot/hubspot-portals';
import { parseSalesforceOrgs } from '../salesforce/salesforce-orgs';
import { FAULT_DEFAULTS, FaultInjector, type FaultDefaults } from './fault-injector.service';
import { FaultsController } from './faults.controller';
import { KNOWN_TENANTS, type KnownTenants } from './known-tenants';

const HUBSPOT_WINDOW_MS = 10_000;

/** Fault injection: its state, shared by the fake CRMs, and its admin API; the CRM endpoints they declare. */
@Global()
@Module({})
export class FaultsModule {
  static register({ sandbox, salesforce, hubspot }: SandboxAppConfig): DynamicModule {
    const defaults: FaultDefaults = {
      ...(sandbox.SANDBOX_SEED !== undefined ? { seed: sandbox.SANDBOX_SEED } : {}),
      latency: { fixedMs: sandbox.SANDBOX_LATENCY_MS, jitterMs: sandbox.SANDBOX_LATENCY_JITTER_MS },
      rateLimit: {
        hubspot: { max: hubspot.HUBSPOT_TEN_SECONDLY_LIMIT, windowMs: HUBSPOT_WINDOW_MS, retryAfter: true },
      },
      dailyLimit: { hubspot: hubspot.HUBSPOT_DAILY_LIMIT, salesforce: salesforce.SALESFORCE_DAILY_API_LIMIT },
    };
    const tenants: KnownTenants = {
      salesforce: parseSalesforceOrgs(salesforce.SALESFORCE_ORGS).map(({ orgId }) => orgId),
      hubspot: parseHubspotPortals(hubspot.HUBSPOT_PORTALS).map(({ portalId }) => portalId),
    };
    return {
      module: FaultsModule,
      imports: [DiscoveryModule],
      controllers: [FaultsController],
      providers: [
        { provide: FAULT_DEFAULTS, useValue: defaults },
        { provide: KNOWN_TENANTS, useValue: tenants },
        FaultInjector,
        CrmEndpoints,
      ],
      exports: [FaultInjector, CrmEndpoints, FAULT_DEFAULTS, KNOWN_TENANTS],
    };
  }
}
