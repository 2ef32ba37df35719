import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ProblemException } from '../http/problem.exception';
import { ApiProblemResponses } from '../http/problem.responses';
import { DeliveryStatsReader } from './delivery-stats.reader';
import { DeliveryStatsDocument } from './stats.responses';
import { StatsQuery } from './stats.query';

const DAY_MS = 24 * 60 * 60 * 1000;

@Controller('stats')
export class StatsController {
  constructor(private readonly reader: DeliveryStatsReader) {}

  @Get()
  @ApiOperation({
    operationId: 'getDeliveryStats',
    summary:
      'Delivery outcomes and speed-to-lead percentiles per destination, over a window of lead timestamps',
  })
  @ApiOkResponse({ type: DeliveryStatsDocument })
  @ApiProblemResponses(400)
  stats(@Query() query: StatsQuery) {
    const until = query.until === undefined ? new Date() : new Date(query.until);
    const since = query.since === undefined ? new Date(until.getTime() - DAY_MS) : new Date(query.since);
    if (since >= until) {
      throw ProblemException.invalidInput([{ parameter: 'until', detail: 'must be after since' }]);
    }
    return this.reader.stats({ since, until, account: query.account, destination: query.destination });
  }
}
