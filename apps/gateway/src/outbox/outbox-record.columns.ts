import { Column } from 'typeorm';

/** The Kafka record an outbox row holds, exactly as it will be produced; shared by the outbox and the dead outbox. */
export abstract class OutboxRecordColumns {
  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;
}
