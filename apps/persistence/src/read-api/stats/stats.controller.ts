import { Controller, Get, Query } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';
import { DeliveryStatsReader } from './delivery-stats.reader';
import { StatsQuery } from './stats.query';

const DAY_MS = 24 * 60 * 60 * 1000;

@Controller('stats')
export class StatsController {
  constructor(private readonly reader: DeliveryStatsReader) {}

  @Get()
  stats(@Query() query: StatsQuery) {
    const until = query.until === undefined ? new Date() : new Date(query.until);
    const since = query.since === undefined ? new Date(until.getTime() - DAY_MS) : new Date(query.since);
    if (since >= until) {
      throw ProblemException.invalidInput([{ parameter: 'until', detail: 'must be after since' }]);
    }
    return this.reader.stats({ since, until, account: query.account, destination: query.destination });
  }
}
