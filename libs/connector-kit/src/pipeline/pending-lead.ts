import type { OutcomeRecorder, TrackedLead } from './outcome-recorder';

export interface PendingLead<Mapped> extends TrackedLead {
  mapped: Mapped;
  /** Retries spent in memory by this process. */
  inlineRetries: number;
  /** When its call was first refused a unit of the credential's budget (the lead waits in its queue). */
  budgetRefusedAt?: number;
}

/** The outcomes the delivery parts hand over (the recorder makes them durable and settles the lead). */
export type LeadOutcomes = Pick<OutcomeRecorder, 'delivered' | 'skipped' | 'parked' | 'deadLettered'>;

/** Sends leads of one account again (after a failure), once the account's call budget allows it. */
export type Resend<Mapped> = (accountId: string, leads: PendingLead<Mapped>[]) => Promise<void>;
