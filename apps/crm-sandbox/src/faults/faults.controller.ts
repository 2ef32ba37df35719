import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import type { Crm } from '../common/crm';
import { CrmEndpoints } from '../common/crm-endpoints';
import { CrmPipe } from './crm.pipe';
import { FaultInjector, preciseNow } from './fault-injector.service';
import { BurstDto, ExpireTokensDto, FaultSettingsDto, LostAnswersDto, OutageDto } from './fault-settings.dto';
import { checkLostAnswersEndpoint } from './lost-answers-endpoint';
import { KNOWN_TENANTS, knownTenant, type KnownTenants } from './known-tenants';

/** Admin API: what the fake CRMs do wrong, per CRM or per tenant (`?tenant=<orgId|portalId>`). */
@Controller('sandbox/faults')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class FaultsController {
  constructor(
    private readonly faults: FaultInjector,
    private readonly endpoints: CrmEndpoints,
    @Inject(KNOWN_TENANTS) private readonly tenants: KnownTenants,
  ) {}

  @Get()
  describe() {
    return this.faults.describe();
  }

  @Put(':crm')
  configure(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() settings: FaultSettingsDto,
  ) {
    const total = Math.round(settings.errors.reduce((sum, { rate }) => sum + rate, 0) * 1e6) / 1e6;
    if (total > 1) throw new BadRequestException([`errors: rates add up to ${total}, more than 1`]);
    for (const [index, rule] of settings.validationRules.entries()) {
      try {
        new RegExp(rule.pattern);
      } catch (error) {
        throw new BadRequestException([`validationRules.${index}.pattern: ${(error as Error).message}`]);
      }
    }
    this.faults.configure(crm, this.tenant(crm, tenant), settings);
    return this.faults.describe();
  }

  @Delete(':crm')
  @HttpCode(204)
  clear(@Param('crm', CrmPipe) crm: Crm, @Query('tenant') tenant: string | undefined): void {
    this.faults.clear(crm, this.tenant(crm, tenant));
  }

  @Post(':crm/burst')
  @HttpCode(204)
  burst(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() burst: BurstDto,
  ): void {
    this.faults.startBurst(crm, this.tenant(crm, tenant), burst);
  }

  @Post(':crm/outage')
  @HttpCode(204)
  outage(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() outage: OutageDto,
  ): void {
    this.faults.startOutage(crm, this.tenant(crm, tenant), outage, Date.now());
  }

  @Delete(':crm/outage')
  @HttpCode(204)
  endOutage(@Param('crm', CrmPipe) crm: Crm, @Query('tenant') tenant: string | undefined): void {
    this.faults.endOutage(crm, this.tenant(crm, tenant));
  }

  @Post(':crm/expire-tokens')
  @HttpCode(204)
  expireTokens(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() { afterCalls }: ExpireTokensDto,
  ): void {
    this.faults.expireTokens(crm, this.tenant(crm, tenant), afterCalls, preciseNow());
  }

  @Post(':crm/lost-answers')
  @HttpCode(204)
  loseAnswers(
    @Param('crm', CrmPipe) crm: Crm,
    @Query('tenant') tenant: string | undefined,
    @Body() lost: LostAnswersDto,
  ): void {
    checkLostAnswersEndpoint(this.endpoints, crm, lost);
    this.faults.loseAnswers(crm, this.tenant(crm, tenant), lost);
  }

  private tenant(crm: Crm, tenant: string | undefined): string | undefined {
    return knownTenant(this.tenants, crm, tenant);
  }
}
