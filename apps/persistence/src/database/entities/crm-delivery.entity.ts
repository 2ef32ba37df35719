import type { DeliveryOutcome } from '@lead-delivery/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `pending`: routed to the destination, no outcome yet; otherwise the outcome of the newest delivery event. */
export type DeliveryStatus = 'pending' | DeliveryOutcome;
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = [
  'pending',
  'delivered',
  'failed',
  'dead_lettered',
  'skipped',
  'suppressed',
];

/** The delivery of one account's lead to one CRM. */
@Entity({ name: 'crm_deliveries' })
@Index('crm_deliveries_lead_timestamp_idx', ['leadTimestamp'])
export class CrmDeliveryEntity {
  @PrimaryColumn({ name: 'account_id', type: 'text', primaryKeyConstraintName: 'crm_deliveries_pkey' })
  accountId!: string;

  @PrimaryColumn({ name: 'lead_id', type: 'text', primaryKeyConstraintName: 'crm_deliveries_pkey' })
  leadId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'crm_deliveries_pkey' })
  destination!: string;

  @Column({ type: 'text' })
  status!: DeliveryStatus;

  @Column({ name: 'crm_record_id', type: 'text', nullable: true })
  crmRecordId!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'lead_timestamp', type: 'timestamptz' })
  leadTimestamp!: Date;

  /** First successful delivery. */
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** delivered_at − lead timestamp. pg returns bigint as a string. */
  @Column({ name: 'speed_to_lead_ms', type: 'bigint', nullable: true })
  speedToLeadMs!: string | null;

  /** Time of the delivery event the status comes from; null while pending. */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
