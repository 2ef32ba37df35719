import { Controller, Get, Param, Query } from '@nestjs/common';
import { ProblemException, type InputError } from '../http/problem.exception';
import { LeadReader } from './lead-reader.service';
import { ListLeadsQuery } from './list-leads.query';
import { decodeCursor } from './page-cursor';

@Controller('leads')
export class LeadsController {
  constructor(private readonly reader: LeadReader) {}

  @Get()
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

  @Get(':leadId')
  async get(@Param('leadId') leadId: string) {
    const found = await this.reader.detail(leadId);
    if (!found) throw ProblemException.notFound(`No lead ${leadId} is stored.`);
    return found;
  }
}
