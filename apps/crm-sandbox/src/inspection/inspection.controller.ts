import { BadRequestException, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector.service';
import { HubspotStore } from '../hubspot/hubspot-store.service';
import { SalesforceSessions } from '../salesforce/salesforce-sessions.service';
import { SalesforceStore } from '../salesforce/salesforce-store.service';
import { ApiUsage } from '../usage/api-usage.service';
import { RequestLog, type RequestFilter } from './request-log.service';
import { SandboxStores } from './sandbox-stores';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the sandbox holds and has served; `POST /sandbox/reset` empties it. */
@Controller('sandbox')
export class InspectionController {
  constructor(
    private readonly requests: RequestLog,
    private readonly faults: FaultInjector,
    private readonly salesforce: SalesforceStore,
    private readonly sessions: SalesforceSessions,
    private readonly hubspot: HubspotStore,
    private readonly usage: ApiUsage,
    private readonly stores: SandboxStores,
  ) {}

  @Get()
  summary() {
    const now = Date.now();
    return {
      salesforce: {
        orgs: this.salesforce.all().map((org) => ({
          orgId: org.org.orgId,
          leads: org.ofType('Lead').length,
          tasks: org.ofType('Task').length,
          notes: org.ofType('Note').length,
          apiUsage: this.usage.salesforce(org.org.orgId).daily.count(DAY_MS, now),
          activeSessions: this.sessions.countFor(org.org.orgId),
        })),
      },
      hubspot: {
        portals: this.hubspot.all().map((portal) => ({
          portalId: portal.portal.portalId,
          contacts: portal.contacts.size,
          notes: portal.notes.size,
          dailyUsage: this.usage.hubspot(portal.portal.portalId).daily.count(now),
        })),
      },
      faults: this.faults.describe(),
      requests: this.requests.counts({}).total,
    };
  }

  /**
   * Empties every fake CRM's records (each module's, Follow Up Boss's and generated ones included), API usage
   * and call counts, faults and the request log. Issued tokens stay valid.
   */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.stores.resetAll();
  }

  @Get('requests')
  list(@Query() query: Record<string, string>) {
    const limit = query['limit'] === undefined ? undefined : integer(query['limit'], 'limit');
    return this.requests.list(filterOf(query), limit);
  }

  @Get('requests/counts')
  counts(@Query() query: Record<string, string>) {
    return this.requests.counts(filterOf(query));
  }

  @Delete('requests')
  @HttpCode(204)
  clearRequests(): void {
    this.requests.reset();
  }
}

function filterOf(query: Record<string, string>): RequestFilter {
  return {
    ...(query['crm'] ? { crm: query['crm'] } : {}),
    ...(query['tenant'] ? { tenant: query['tenant'] } : {}),
    ...(query['endpoint'] ? { endpoint: query['endpoint'] } : {}),
    ...(query['status'] ? { status: integer(query['status'], 'status') } : {}),
    ...(query['since'] ? { since: integer(query['since'], 'since') } : {}),
  };
}

function integer(value: string, name: string): number {
  if (!/^\d+$/.test(value))
    throw new BadRequestException([`${name}: must be a non-negative integer, got "${value}"`]);
  return Number(value);
}
