import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  ValidationPipe,
} from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { CrmEndpoints } from '../common/crm-endpoints';
import { LEAD_COPIES_ROUTE, leadCopiesOf, markedLeadCopy, type LeadCopy } from '../common/lead-copies';
import { FaultInjector } from '../faults/fault-injector.service';
import { BurstDto, LostAnswersDto } from '../faults/fault-settings.dto';
import { checkLostAnswersEndpoint } from '../faults/lost-answers-endpoint';
import { FOLLOWUPBOSS } from './followupboss-api.guard';
import { FollowupbossStore, type FubAccount } from './followupboss-store.service';

class AccountFaultsDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => BurstDto)
  burst?: BurstDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => LostAnswersDto)
  lostAnswers?: LostAnswersDto;
}

/**
 * Admin API for tests and demos: an account's people with their events, the lead copies of every account,
 * its archived sources, its faults (until the registry puts Follow Up Boss among /sandbox/faults' CRMs), a
 * reset.
 */
@Controller('sandbox/followupboss')
export class FollowupbossAdminController {
  constructor(
    private readonly store: FollowupbossStore,
    private readonly faults: FaultInjector,
    private readonly endpoints: CrmEndpoints,
  ) {}

  @Get('accounts/:accountId/people')
  people(@Param('accountId') accountId: string) {
    const account = this.accountOf(accountId);
    return account.people.map((person) => ({
      ...person,
      events: account.events.filter((event) => event.personId === person.id),
    }));
  }

  /** The lead each event of every account names by its description's marker line (one event per inquiry). */
  @Get(LEAD_COPIES_ROUTE)
  leadCopies(): LeadCopy[] {
    const events = this.store.accounts().flatMap((account) => account.events);
    return leadCopiesOf(events, (event) => markedLeadCopy(event.description));
  }

  /** The sources whose lead flow the account archived: their events are answered 204 and ignored. */
  @Put('accounts/:accountId/archived-sources')
  archive(@Param('accountId') accountId: string, @Body() body: { sources?: unknown }) {
    const account = this.accountOf(accountId);
    account.archivedSources.clear();
    for (const source of Array.isArray(body?.sources) ? body.sources : [])
      if (typeof source === 'string') account.archivedSources.add(source);
    return { sources: [...account.archivedSources] };
  }

  /** The fault injector's burst (the next calls fail) or lost answers (carried out, never answered). */
  @Post('accounts/:accountId/faults')
  @HttpCode(204)
  fault(
    @Param('accountId') accountId: string,
    @Body(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
    body: AccountFaultsDto,
  ): void {
    const { accountId: tenant } = this.accountOf(accountId);
    if (body.lostAnswers) checkLostAnswersEndpoint(this.endpoints, FOLLOWUPBOSS, body.lostAnswers);
    if (body.burst) this.faults.startBurst(FOLLOWUPBOSS, tenant, body.burst);
    if (body.lostAnswers) this.faults.loseAnswers(FOLLOWUPBOSS, tenant, body.lostAnswers);
  }

  /** No people, events, usage or faults: as configured. */
  @Delete()
  @HttpCode(204)
  reset(): void {
    this.store.reset();
    this.faults.clear(FOLLOWUPBOSS);
  }

  private accountOf(accountId: string): FubAccount {
    const account = this.store.account(accountId);
    if (!account) throw new NotFoundException([`followupboss has no account "${accountId}"`]);
    return account;
  }
}
