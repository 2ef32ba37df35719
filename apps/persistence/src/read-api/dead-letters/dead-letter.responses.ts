import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches, ValidateIf } from 'class-validator';

const nullableString = { type: String, nullable: true } as const;

export class DlqTopicDocument {
  @ApiProperty({ type: String, example: 'leads.enriched.v1.dlq.connector-hubspot' })
  topic!: string;

  @ApiProperty({ ...nullableString, description: 'The consumer group whose dead letters these are.' })
  consumer_group!: string | null;

  @ApiProperty({ type: 'integer' })
  records!: number;
}

export class DeadLetterDocument {
  @ApiProperty({ type: 'integer' })
  partition!: number;

  @ApiProperty({ type: String })
  offset!: string;

  @ApiProperty(nullableString)
  lead_id!: string | null;

  @ApiProperty(nullableString)
  account_id!: string | null;

  @ApiProperty({ ...nullableString, description: 'e.g. `rejected_by_crm`, `retries_exhausted`.' })
  kind!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  attempts!: number | null;

  @ApiProperty({ type: String, format: 'date-time' })
  dead_lettered_at!: string;

  @ApiProperty({ type: Boolean })
  replayed!: boolean;

  @ApiProperty({
    ...nullableString,
    description: 'Emails and phones masked unless the token has the `pii` scope.',
  })
  reason!: string | null;

  @ApiProperty({ ...nullableString, description: 'Why the value is not in the dead letter (too large).' })
  value_omitted!: string | null;
}

/** `POST /dead-letters/:topic/replay`: every dead letter not replayed yet, an account's, or one lead of one. */
export class ReplayRequest {
  @ApiPropertyOptional({ type: String })
  @ValidateIf((request: ReplayRequest) => request.account_id !== undefined || request.lead_id !== undefined)
  @IsString({ message: 'is required with lead_id: the same lead id can be the lead of several accounts' })
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'must be an account id' })
  account_id?: string;

  @ApiPropertyOptional({ type: String })
  @ValidateIf((request: ReplayRequest) => request.lead_id !== undefined)
  @IsString()
  @Length(1, 200)
  lead_id?: string;
}

export class ReplayedLetterDocument {
  @ApiProperty({ type: 'integer' })
  partition!: number;

  @ApiProperty({ type: String })
  offset!: string;

  @ApiProperty(nullableString)
  lead_id!: string | null;

  @ApiProperty(nullableString)
  account_id!: string | null;

  @ApiProperty({ ...nullableString, description: 'Why it cannot be replayed.' })
  reason!: string | null;
}

export class ReplayDocument {
  @ApiProperty({ type: 'integer', description: 'Sent back to their source topic now.' })
  replayed!: number;

  @ApiProperty({ type: 'integer', description: 'Selected, but replayed before: never sent twice.' })
  already_replayed!: number;

  @ApiProperty({ type: [ReplayedLetterDocument] })
  not_replayable!: ReplayedLetterDocument[];
}
