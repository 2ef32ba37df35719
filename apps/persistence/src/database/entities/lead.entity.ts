import type {
  FieldWarning,
  LeadKind,
  LeadRole,
  LeadTier,
  ListingAgent,
  ScoreReason,
} from '@lead-delivery/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PersonEntity } from './person.entity';

const text = (name: string) => ({ name, type: 'text' as const, nullable: true });
const number = (name: string) => ({ name, type: 'double precision' as const, nullable: true });
const time = (name: string) => ({ name, type: 'timestamptz' as const, nullable: true });

/**
 * One account's lead, keyed by (account_id, lead_id): the same lead sent to two accounts (an agent and
 * their brokerage) is two leads. Merged from every event that mentions it. The lead's own fields come from the newest event
 * carrying the lead (`lead_event_at`): received, or enriched with normalised contact and address; the
 * raw payload and warnings from the received event; score, tier and routing from the enriched event.
 */
@Entity({ name: 'leads' })
@Index('leads_lead_timestamp_idx', ['leadTimestamp', 'leadId', 'accountId'])
@Index('leads_account_lead_timestamp_idx', ['accountId', 'leadTimestamp', 'leadId'])
@Index('leads_tier_lead_timestamp_idx', ['tier', 'leadTimestamp', 'leadId', 'accountId'], {
  where: 'tier IS NOT NULL',
})
@Index('leads_person_key_idx', ['accountId', 'personKey'], { where: 'person_key IS NOT NULL' })
@Index('leads_email_idx', ['email'])
@Index('leads_retention_idx', ['leadTimestamp'], { where: 'raw_purged_at IS NULL' })
export class LeadEntity {
  @PrimaryColumn({ name: 'account_id', type: 'text', primaryKeyConstraintName: 'leads_pkey' })
  accountId!: string;

  @PrimaryColumn({ name: 'lead_id', type: 'text', primaryKeyConstraintName: 'leads_pkey' })
  leadId!: string;

  @Column(text('kind')) kind!: LeadKind | null;
  @Column(text('role')) role!: LeadRole | null;
  @Column(text('source')) source!: string | null;

  @Column(text('person_key')) personKey!: string | null;

  // The key's ON DELETE sets only person_key to null (PostgreSQL 15+), as account_id is part of the lead's key.
  @ManyToOne(() => PersonEntity, { onDelete: 'SET NULL', onUpdate: 'NO ACTION' })
  @JoinColumn([
    {
      name: 'account_id',
      referencedColumnName: 'accountId',
      foreignKeyConstraintName: 'leads_person_key_fk',
    },
    {
      name: 'person_key',
      referencedColumnName: 'personKey',
      foreignKeyConstraintName: 'leads_person_key_fk',
    },
  ])
  person?: PersonEntity | null;

  @Column(text('first_name')) firstName!: string | null;
  @Column(text('last_name')) lastName!: string | null;
  @Column(text('full_name')) fullName!: string | null;
  @Column(text('email')) email!: string | null;
  @Column(text('phone')) phone!: string | null;
  @Column(text('phone_e164')) phoneE164!: string | null;

  @Column(text('address')) address!: string | null;
  @Column(text('city')) city!: string | null;
  @Column(text('state')) state!: string | null;
  @Column(text('zip_code')) zipCode!: string | null;
  @Column(number('list_price')) listPrice!: number | null;
  @Column(number('beds')) beds!: number | null;
  @Column(number('baths')) baths!: number | null;
  @Column(number('sqft')) sqft!: number | null;
  @Column(number('latitude')) latitude!: number | null;
  @Column(number('longitude')) longitude!: number | null;
  @Column(text('listing_url')) listingUrl!: string | null;
  @Column(text('mls_id')) mlsId!: string | null;
  @Column(text('mls_name')) mlsName!: string | null;
  @Column(text('listing_status')) listingStatus!: string | null;
  @Column(number('active_days_on_market')) activeDaysOnMarket!: number | null;
  @Column({ name: 'listing_agent', type: 'jsonb', nullable: true }) listingAgent!: ListingAgent | null;

  @Column({ name: 'pre_approved', type: 'boolean', nullable: true }) preApproved!: boolean | null;
  @Column(number('budget_min')) budgetMin!: number | null;
  @Column(number('budget_max')) budgetMax!: number | null;
  @Column({ name: 'is_likely_to_transact', type: 'boolean', nullable: true })
  isLikelyToTransact!: boolean | null;
  @Column(number('probability_to_transact')) probabilityToTransact!: number | null;

  @Column(text('message')) message!: string | null;

  @Column(number('score')) score!: number | null;
  @Column(text('tier')) tier!: LeadTier | null;
  @Column({ name: 'score_reasons', type: 'jsonb', nullable: true }) scoreReasons!: ScoreReason[] | null;
  @Column(text('model_version')) modelVersion!: string | null;
  @Column({ name: 'destinations', type: 'text', array: true, nullable: true }) destinations!: string[] | null;

  @Column({ name: 'warnings', type: 'jsonb', nullable: true }) warnings!: FieldWarning[] | null;
  @Column({ name: 'raw', type: 'jsonb', nullable: true }) raw!: Record<string, unknown> | null;

  @Column({ name: 'lead_timestamp', type: 'timestamptz' }) leadTimestamp!: Date;
  /** Time of the event the lead's own fields come from; null while only a delivery was seen. */
  @Column(time('lead_event_at')) leadEventAt!: Date | null;
  @Column(time('received_at')) receivedAt!: Date | null;
  @Column(time('enriched_at')) enrichedAt!: Date | null;
  @Column(time('raw_purged_at')) rawPurgedAt!: Date | null;
  @Column(time('erased_at')) erasedAt!: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}
