import { Controller, Get, Param, Query } from '@nestjs/common';
import { ProblemException, type InputError } from '../http/problem.exception';
import { LeadReader } from './lead-reader.service';
import { ListLeadsQuery } from './list-leads.query';
import { decodeCursor } from './page-cursor';

/** Leads of every account (`account` filters), and one account's lead by its lead_id. */
@Controller()
export class LeadsController {
  constructor(private readonly reader: LeadReader) {}

  @Get('leads')
  list(@Query() query: ListLeadsQuery) {
    const errors: InputError[] = [];
    const since = query.since === undefined ? undefined : new Date(query.since);
    const until = query.until === undefined ? undefined : new Date(query.until);
    if (since && until && since >= until) errors.push({ parameter: 'until', detail: 'must be after since' });
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      errors.push({ parameter: 'cursor', detail: 'is not a cursor returned by this API' });
    }
    if (errors.length > 0) throw ProblemException.invalidInput(errors);
    return this.reader.list({ ...query, since, until, after });
  }

  @Get('accounts/:accountId/leads/:leadId')
  async get(@Param('accountId') accountId: string, @Param('leadId') leadId: string) {
    const found = await this.reader.detail({ accountId, leadId });
    if (!found) throw ProblemException.notFound(`Account ${accountId} has no lead ${leadId} stored.`);
    return found;
  }
}
