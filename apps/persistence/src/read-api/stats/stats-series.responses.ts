import { ApiProperty } from '@nestjs/swagger';
import { SERIES_BUCKETS } from './delivery-series.reader';

const count = { type: 'integer' } as const;
const milliseconds = { type: 'integer', nullable: true } as const;

export class SeriesPointDocument {
  @ApiProperty({ type: String, format: 'date-time', description: 'Start of the UTC hour or day.' })
  bucket!: string;

  @ApiProperty({ type: String })
  destination!: string;

  @ApiProperty({ ...count, description: 'Deliveries of the leads whose timestamp is in the bucket.' })
  total!: number;

  @ApiProperty(count)
  pending!: number;

  @ApiProperty(count)
  delivered!: number;

  @ApiProperty(count)
  failed!: number;

  @ApiProperty(count)
  dead_lettered!: number;

  @ApiProperty({ ...count, description: 'Declined by the CRM account on purpose (never retried).' })
  skipped!: number;

  @ApiProperty({ ...count, description: "Not delivered: the person's identity was erased." })
  suppressed!: number;

  @ApiProperty({ ...count, description: 'Delivered deliveries measured.' })
  measured!: number;

  @ApiProperty({ ...milliseconds, description: 'Speed to lead (first delivery − lead timestamp), ms.' })
  p50!: number | null;

  @ApiProperty(milliseconds)
  p90!: number | null;

  @ApiProperty(milliseconds)
  p99!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Share (0–1) of all the deliveries in the bucket delivered within 5 minutes of the lead timestamp.',
  })
  within_5_min_share!: number | null;
}

export class DeliverySeriesDocument {
  @ApiProperty({ type: String, format: 'date-time' })
  since!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  until!: string;

  @ApiProperty({ enum: SERIES_BUCKETS })
  bucket!: string;

  @ApiProperty({
    type: [SeriesPointDocument],
    description: 'By bucket, then destination; empty buckets are left out.',
  })
  points!: SeriesPointDocument[];
}
