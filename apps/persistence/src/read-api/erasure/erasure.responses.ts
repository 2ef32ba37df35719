import { ApiProperty } from '@nestjs/swagger';

export class ErasurePlaceDocument {
  @ApiProperty({
    type: String,
    description:
      '`postgres` (leads, people, deliveries, timeline), `outbox` (the gateway outbox and dead outbox) or `crm:<destination>`.',
    example: 'postgres',
  })
  place!: string;

  @ApiProperty({
    enum: ['pending', 'done'],
    description: 'CRM places stay `pending`: the CRM erase step is not carried out by this version.',
  })
  state!: string;

  @ApiProperty({ type: 'integer' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The last failure, as an error code.' })
  last_error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  done_at!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What was done (`leads_erased`, `people_removed`, `outbox_rows_removed`, ...); for a CRM place, the `records` to erase there (ids only).',
  })
  details!: Record<string, unknown>;
}

export class ErasureDocument {
  @ApiProperty({
    type: String,
    format: 'uuid',
    description: "In each erased lead's `erased` timeline event.",
  })
  erasure_id!: string;

  @ApiProperty({ enum: ['in_progress', 'completed'], description: 'Completed once every place is done.' })
  state!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The account in scope; null: every account.' })
  account_id!: string | null;

  @ApiProperty({ type: [String], enum: ['email', 'phone'] })
  matched_by!: string[];

  @ApiProperty({ type: String, description: 'The name of the operator token that asked.' })
  requested_by!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  requested_at!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completed_at!: string | null;

  @ApiProperty({ type: [ErasurePlaceDocument] })
  places!: ErasurePlaceDocument[];
}
