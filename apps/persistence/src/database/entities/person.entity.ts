import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One person behind several leads of one account, keyed by the account and the enrichment's person_key
 * (normalised email, else E.164 phone): the same person asking two accounts is two people.
 */
@Entity({ name: 'people' })
export class PersonEntity {
  @PrimaryColumn({ name: 'account_id', type: 'text', primaryKeyConstraintName: 'people_pkey' })
  accountId!: string;

  @PrimaryColumn({ name: 'person_key', type: 'text', primaryKeyConstraintName: 'people_pkey' })
  personKey!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'phone_e164', type: 'text', nullable: true })
  phoneE164!: string | null;

  @Column({ name: 'full_name', type: 'text', nullable: true })
  fullName!: string | null;

  /** Earliest and latest lead timestamp of the person's leads. */
  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
