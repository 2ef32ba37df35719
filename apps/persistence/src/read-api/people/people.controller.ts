import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ProblemException } from '../http/problem.exception';
import { ApiProblemResponses } from '../http/problem.responses';
import { PersonWithLeadsDocument } from '../leads/lead.responses';
import { LeadReader } from '../leads/lead-reader.service';

/** People are per account: one person asking two accounts is two people, each with their own leads. */
@Controller('accounts/:accountId/people')
export class PeopleController {
  constructor(private readonly reader: LeadReader) {}

  /** `personKey`: normalised email, else E.164 phone (URL-encoded: `%2B1512...`). */
  @Get(':personKey')
  @ApiOperation({ operationId: 'getPerson', summary: 'A person of an account and their leads to it' })
  @ApiParam({ name: 'accountId', type: String })
  @ApiParam({
    name: 'personKey',
    type: String,
    description: 'Normalised email, else E.164 phone, URL-encoded (`%2B15125550142`).',
  })
  @ApiOkResponse({ type: PersonWithLeadsDocument })
  @ApiProblemResponses(404)
  async get(@Param('accountId') accountId: string, @Param('personKey') personKey: string) {
    const found = await this.reader.person(accountId, personKey);
    if (!found) throw ProblemException.notFound(`Account ${accountId} has no person with this key stored.`);
    return found;
  }
}
