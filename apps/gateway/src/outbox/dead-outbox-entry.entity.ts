import { Column, Entity, PrimaryColumn } from 'typeorm';
import { OutboxRecordColumns } from './outbox-record.columns';

/**
 * An outbox row Kafka refused for good (too large, invalid), set aside so that the rows behind it are
 * relayed. Operators list and replay it with `npm run dlq -- outbox ...`; a replay puts it back in the
 * outbox once (`replayed_as` is the new outbox row).
 */
@Entity({ name: 'gateway_dead_outbox' })
export class DeadOutboxEntryEntity extends OutboxRecordColumns {
  /** The id the row had in gateway_outbox. */
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  /** When the lead was accepted into the outbox. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'dead_at', type: 'timestamptz' })
  deadAt!: Date;

  /** The Kafka error that refused the row, e.g. MESSAGE_TOO_LARGE. */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  @Column({ name: 'replayed_as', type: 'bigint', nullable: true })
  replayedAs!: string | null;
}
