import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ProblemException } from '../http/problem.exception';
import { ApiProblemResponses } from '../http/problem.responses';
import { DeliverySeriesReader } from './delivery-series.reader';
import { DeliveryStatsReader } from './delivery-stats.reader';
import { DeliverySeriesDocument } from './stats-series.responses';
import { StatsSeriesQuery } from './stats-series.query';
import { DeliveryStatsDocument } from './stats.responses';
import { StatsQuery } from './stats.query';

const DAY_MS = 24 * 60 * 60 * 1000;

@Controller('stats')
export class StatsController {
  constructor(
    private readonly reader: DeliveryStatsReader,
    private readonly series: DeliverySeriesReader,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getDeliveryStats',
    summary:
      'Delivery outcomes and speed-to-lead percentiles per destination, over a window of lead timestamps',
  })
  @ApiOkResponse({ type: DeliveryStatsDocument })
  @ApiProblemResponses(400)
  stats(@Query() query: StatsQuery) {
    return this.reader.stats({ ...windowOf(query), account: query.account, destination: query.destination });
  }

  @Get('series')
  @ApiOperation({
    operationId: 'getDeliverySeries',
    summary:
      'Per UTC hour or day and destination: delivery outcomes, speed-to-lead p50/p90/p99 and the share delivered within 5 minutes',
  })
  @ApiOkResponse({ type: DeliverySeriesDocument })
  @ApiProblemResponses(400)
  seriesOf(@Query() query: StatsSeriesQuery) {
    const window = windowOf(query);
    const buckets = (window.until.getTime() - window.since.getTime()) / BUCKET_MS[query.bucket];
    if (buckets > MAX_BUCKETS) {
      throw ProblemException.invalidInput([
        { parameter: 'bucket', detail: `the window holds more than ${MAX_BUCKETS} of them; use day` },
      ]);
    }
    return this.series.series(
      { ...window, account: query.account, destination: query.destination },
      query.bucket,
    );
  }
}

const BUCKET_MS = { hour: 60 * 60 * 1000, day: DAY_MS } as const;
const MAX_BUCKETS = 1_000;

/** The window of lead timestamps: default the 24 hours up to now. */
function windowOf(query: StatsQuery): { since: Date; until: Date } {
  const until = query.until === undefined ? new Date() : new Date(query.until);
  const since = query.since === undefined ? new Date(until.getTime() - DAY_MS) : new Date(query.since);
  if (since >= until) {
    throw ProblemException.invalidInput([{ parameter: 'until', detail: 'must be after since' }]);
  }
  return { since, until };
}
