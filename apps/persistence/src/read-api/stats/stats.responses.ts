import { ApiProperty } from '@nestjs/swagger';

export class DeliveryOutcomesDocument {
  @ApiProperty({ type: 'integer' })
  pending!: number;

  @ApiProperty({ type: 'integer' })
  delivered!: number;

  @ApiProperty({ type: 'integer' })
  failed!: number;

  @ApiProperty({ type: 'integer' })
  dead_lettered!: number;

  @ApiProperty({ type: 'integer', description: 'Declined by the CRM account on purpose (never retried).' })
  skipped!: number;

  @ApiProperty({ type: 'integer', description: "Not delivered: the person's identity was erased." })
  suppressed!: number;
}

export class SpeedToLeadDocument {
  @ApiProperty({ type: 'integer', description: 'Delivered deliveries measured.' })
  count!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  p50!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  p90!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  p99!: number | null;
}

export class DestinationStatsDocument {
  @ApiProperty({ type: String })
  destination!: string;

  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: DeliveryOutcomesDocument, description: "Each delivery's current status." })
  outcomes!: DeliveryOutcomesDocument;

  @ApiProperty({
    type: SpeedToLeadDocument,
    description: 'First delivery − lead timestamp, in milliseconds.',
  })
  speed_to_lead_ms!: SpeedToLeadDocument;
}

export class DeliveryStatsDocument {
  @ApiProperty({ type: String, format: 'date-time' })
  since!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  until!: string;

  @ApiProperty({ type: 'integer', description: 'Leads whose timestamp is in the window.' })
  leads!: number;

  @ApiProperty({ type: [DestinationStatsDocument], description: 'By destination name.' })
  destinations!: DestinationStatsDocument[];
}
