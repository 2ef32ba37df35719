import { BadRequestException, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector.service';
import { RequestLog, type RequestFilter } from './request-log.service';
import { SandboxCrmViews } from './sandbox-crm-views';
import { SandboxStores } from './sandbox-stores';

/** What the sandbox holds and has served; `POST /sandbox/reset` empties it. */
@Controller('sandbox')
export class InspectionController {
  constructor(
    private readonly requests: RequestLog,
    private readonly faults: FaultInjector,
    private readonly views: SandboxCrmViews,
    private readonly stores: SandboxStores,
  ) {}

  /** Per CRM (registry order) its tenants with what each holds, e.g. `salesforce.orgs`; faults; requests. */
  @Get()
  summary() {
    const now = Date.now();
    return {
      ...Object.fromEntries(this.views.all().map((view) => [view.crm, view.summary(now)])),
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
