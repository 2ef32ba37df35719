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
import { SandboxCrmViews } from '../inspection/sandbox-crm-views';
import { SeedHistoryDto } from './seed-history.dto';
import type { SeedResult } from './seeded-history';

/**
 * Admin API: start a tenant (`?tenant=`; default the first one) with people who already have a history,
 * written by the CRM module's SandboxCrmView; 404 for a CRM that cannot be seeded.
 */
@Controller('sandbox/seed')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class SeedController {
  constructor(private readonly views: SandboxCrmViews) {}

  @Post(':crm')
  seed(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() history: SeedHistoryDto,
  ): SeedResult {
    const view = this.views.of(crm);
    if (!view.seedHistory) throw new NotFoundException(`${crm} cannot be seeded with a history`);
    return view.seedHistory(history, tenant, Date.now());
  }
}
