import type { RecordFault } from './record-fault';
import type { LeadOutcomes, PendingLead, Resend } from './pending-lead';

export interface RecordIsolationOptions<Mapped> {
  /** Calls a lead gets alone, failing on its own data, before it is dead-lettered. */
  recordMaxAttempts: number;
  recorder: Pick<LeadOutcomes, 'deadLettered'>;
  resend: Resend<Mapped>;
  /** The wait before the `faults`-th call of a lead alone. */
  delayMs(faults: number): number;
  stopped(): boolean;
}

/** The two halves of a call's leads (the first one the larger). */
export function inHalves<Lead>(leads: Lead[]): [Lead[], Lead[]] {
  const half = Math.ceil(leads.length / 2);
  return [leads.slice(0, half), leads.slice(half)];
}

/**
 * A call failed on the data of one of its leads, in our own code, not in the CRM (so neither the breakers
 * nor the outage gate count it): the call is halved until that lead is alone, so the others are
 * delivered; the lead then gets `recordMaxAttempts` calls alone (the failure may yet pass) before it is
 * dead-lettered.
 */
export class RecordIsolation<Mapped> {
  /** Calls that failed on a lead of its own while it was alone in them. */
  private readonly faults = new WeakMap<PendingLead<Mapped>, number>();

  constructor(private readonly options: RecordIsolationOptions<Mapped>) {}

  async isolate(accountId: string, leads: PendingLead<Mapped>[], fault: RecordFault): Promise<void> {
    const { resend, recorder, recordMaxAttempts } = this.options;
    if (this.options.stopped()) return; // unsettled: redelivered after restart
    if (leads.length > 1) {
      const [first, second] = inHalves(leads);
      await resend(accountId, first);
      await resend(accountId, second);
      return;
    }
    const lead = leads[0] as PendingLead<Mapped>;
    const faults = (this.faults.get(lead) ?? 0) + 1;
    this.faults.set(lead, faults);
    if (faults >= recordMaxAttempts) {
      recorder.deadLettered(lead, 'record_failed', fault.reason);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, this.options.delayMs(faults)));
    await resend(accountId, [lead]);
  }
}
