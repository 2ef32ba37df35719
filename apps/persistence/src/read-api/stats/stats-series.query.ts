import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SERIES_BUCKETS, type SeriesBucket } from './delivery-series.reader';
import { StatsQuery } from './stats.query';

/** `GET /stats/series`: the window of `GET /stats`, cut into UTC hours or days. */
export class StatsSeriesQuery extends StatsQuery {
  @ApiPropertyOptional({ enum: SERIES_BUCKETS, default: 'hour' })
  @IsOptional()
  @IsIn(SERIES_BUCKETS)
  bucket: SeriesBucket = 'hour';
}
