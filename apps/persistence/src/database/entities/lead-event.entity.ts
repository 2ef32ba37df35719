import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const LEAD_EVENT_TYPES = [
  'received',
  'enriched',
  'delivered',
  'delivery_failed',
  'dead_lettered',
  'delivery_suppressed',
  'delivery_skipped',
  'erased',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/** One entry of a lead's timeline, keyed by its CloudEvents source and id so a replay is stored once. */
@Entity({ name: 'lead_events' })
@Index('lead_events_lead_idx', ['accountId', 'leadId', 'occurredAt'])
export class LeadEventEntity {
  @PrimaryColumn({ name: 'event_source', type: 'text', primaryKeyConstraintName: 'lead_events_pkey' })
  eventSource!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text', primaryKeyConstraintName: 'lead_events_pkey' })
  eventId!: string;

  @Column({ name: 'account_id', type: 'text' })
  accountId!: string;

  @Column({ name: 'lead_id', type: 'text' })
  leadId!: string;

  @Column({ type: 'text' })
  type!: LeadEventType;

  @Column({ type: 'text', nullable: true })
  destination!: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}
