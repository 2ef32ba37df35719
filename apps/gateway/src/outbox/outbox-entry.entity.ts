import { CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { OutboxRecordColumns } from './outbox-record.columns';

/** A lead Kafka did not acknowledge in time, exactly as it will be produced (topic, key, value, headers). */
@Entity({ name: 'gateway_outbox' })
export class OutboxEntryEntity extends OutboxRecordColumns {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
