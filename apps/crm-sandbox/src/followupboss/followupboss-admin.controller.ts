import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put } from '@nestjs/common';
import { FollowupbossStore, type FubAccount } from './followupboss-store.service';

/** Admin API for tests and demos: an account's people with their events, its archived sources, a reset. */
@Controller('sandbox/followupboss')
export class FollowupbossAdminController {
  constructor(private readonly store: FollowupbossStore) {}

  @Get('accounts/:accountId/people')
  people(@Param('accountId') accountId: string) {
    const account = this.accountOf(accountId);
    return account.people.map((person) => ({
      ...person,
      events: account.events.filter((event) => event.personId === person.id),
    }));
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

  @Delete()
  @HttpCode(204)
  reset(): void {
    this.store.reset();
  }

  private accountOf(accountId: string): FubAccount {
    const account = this.store.account(accountId);
    if (!account) throw new NotFoundException([`followupboss has no account "${accountId}"`]);
    return account;
  }
}
