import {
  Body,
  Controller,
  NotFoundException,
  Param,
  Post,
  Query,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import type { Crm } from '../common/crm';
import { CrmPipe } from '../faults/crm.pipe';
import { HubspotStore } from '../hubspot/hubspot-store.service';
import { normalizeId } from '../salesforce/salesforce-id';
import { SalesforceStore } from '../salesforce/salesforce-store.service';
import { HistorySeeder, type SeedResult } from './history-seeder.service';
import { SeedHistoryDto } from './seed-history.dto';

/** Admin API: start a tenant with people who already have a history (`?tenant=`; default the first one). */
@Controller('sandbox/seed')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class SeedController {
  constructor(
    private readonly seeder: HistorySeeder,
    private readonly hubspot: HubspotStore,
    private readonly salesforce: SalesforceStore,
  ) {}

  @Post(':crm')
  seed(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() history: SeedHistoryDto,
  ): SeedResult {
    const now = Date.now();
    if (crm === 'hubspot') {
      const portal = tenant ? this.hubspot.portal(tenant) : this.hubspot.all()[0];
      if (!portal) throw new NotFoundException(`no HubSpot portal ${tenant}`);
      return this.seeder.hubspot(portal, history, now);
    }
    const org = tenant ? this.salesforce.org(normalizeId(tenant) ?? tenant) : this.salesforce.all()[0];
    if (!org) throw new NotFoundException(`no Salesforce org ${tenant}`);
    return this.seeder.salesforce(org, history, now);
  }
}
