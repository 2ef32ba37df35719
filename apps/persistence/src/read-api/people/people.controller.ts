import { Controller, Get, Param } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';
import { LeadReader } from '../leads/lead-reader.service';

@Controller('people')
export class PeopleController {
  constructor(private readonly reader: LeadReader) {}

  /** `personKey`: normalised email, else E.164 phone (URL-encoded: `%2B1512...`). */
  @Get(':personKey')
  async get(@Param('personKey') personKey: string) {
    const found = await this.reader.person(personKey);
    if (!found) throw ProblemException.notFound('No person with this key is stored.');
    return found;
  }
}
