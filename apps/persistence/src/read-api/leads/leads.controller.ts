import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { CountryCode } from 'libphonenumber-js';
import { PHONE_DEFAULT_COUNTRY } from '../erasure/erasures.controller';
import { ProblemException, type InputError } from '../http/problem.exception';
import { ApiProblemResponses } from '../http/problem.responses';
import { LeadReader } from './lead-reader.service';
import { LeadDetailDocument, LeadPageDocument } from './lead.responses';
import { ListLeadsQuery } from './list-leads.query';
import { decodeCursor } from './page-cursor';
import { searchOf } from './search-terms';

/** Leads of every account (`account` filters), and one account's lead by its lead_id. */
@Controller()
export class LeadsController {
  constructor(
    private readonly reader: LeadReader,
    @Inject(PHONE_DEFAULT_COUNTRY) private readonly defaultCountry: CountryCode,
  ) {}

  @Get('leads')
  @ApiOperation({ operationId: 'listLeads', summary: 'Leads, newest lead timestamp first, a page at a time' })
  @ApiOkResponse({ type: LeadPageDocument })
  @ApiProblemResponses(400)
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
    const { q, ...filters } = query;
    const search = q === undefined ? undefined : searchOf(q, this.defaultCountry);
    return this.reader.list({ ...filters, search, since, until, after });
  }

  @Get('accounts/:accountId/leads/:leadId')
  @ApiOperation({
    operationId: 'getLead',
    summary: "One account's lead: its fields, timeline, deliveries and the person's other inquiries",
  })
  @ApiParam({ name: 'accountId', type: String })
  @ApiParam({ name: 'leadId', type: String, description: 'The `lead_id` the source sent.' })
  @ApiOkResponse({ type: LeadDetailDocument })
  @ApiProblemResponses(404)
  async get(@Param('accountId') accountId: string, @Param('leadId') leadId: string) {
    const found = await this.reader.detail({ accountId, leadId });
    if (!found) throw ProblemException.notFound(`Account ${accountId} has no lead ${leadId} stored.`);
    return found;
  }
}
