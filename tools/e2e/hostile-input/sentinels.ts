// Sentinel leads: a valid lead posted after each group of hostile cases must still reach PostgreSQL and
// the CRM sandbox within the liveness bound (a bound on being alive, not a speed assertion). Posting does
// not wait: a poller follows every sentinel in the background while the hostile cases go on.
import { anEnhancedLead, uniqueLeadId } from '@lead-delivery/testing';
import { accountLeadKey, crmCopies } from '../crm-records';
import type { Pipeline } from '../pipeline';
import { postRaw, type HostileAccount } from './hostile-stack';

export interface Sentinel {
  leadId: string;
  /** Which hostile cases were sent just before it. */
  after: string;
  postedAt: number;
  reachedAt?: number;
  /** Why it never got going: the gateway did not accept it. */
  refused?: string;
}

const POLL_MS = 1_000;

export class Sentinels {
  private readonly all: Sentinel[] = [];
  private polling: Promise<void> | undefined;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly account: HostileAccount,
    private readonly boundMs: number,
  ) {}

  /** Posts a sentinel (Austin account: routed to HubSpot always) and starts following it. */
  async post(after: string): Promise<Sentinel> {
    // A hot enhanced lead of now: the Austin account routes it to HubSpot and Salesforce.
    const lead = {
      ...anEnhancedLead({ lead_id: uniqueLeadId('sentinel') }),
      timestamp: new Date().toISOString(),
    };
    const sentinel: Sentinel = { leadId: lead.lead_id, after, postedAt: Date.now() };
    this.all.push(sentinel);
    const answer = await postRaw(this.pipeline.gatewayUrl, JSON.stringify(lead), {
      apiKey: this.account.apiKey,
    }).catch((error: unknown) => ({ status: 0, body: String(error) }));
    if (answer.status !== 200) sentinel.refused = `${answer.status} ${answer.body.slice(0, 200)}`;
    this.polling ??= this.poll().finally(() => (this.polling = undefined));
    return sentinel;
  }

  /** Waits until every sentinel posted so far arrived or ran out of time; returns those that did not arrive. */
  async stalled(): Promise<Sentinel[]> {
    while (this.polling) await this.polling;
    return this.all.filter((sentinel) => !this.arrivedInTime(sentinel));
  }

  get count(): number {
    return this.all.length;
  }

  private arrivedInTime(sentinel: Sentinel): boolean {
    return sentinel.reachedAt !== undefined && sentinel.reachedAt - sentinel.postedAt <= this.boundMs;
  }

  private waiting(): Sentinel[] {
    return this.all.filter(
      (sentinel) =>
        sentinel.reachedAt === undefined &&
        !sentinel.refused &&
        Date.now() - sentinel.postedAt <= this.boundMs,
    );
  }

  private async poll(): Promise<void> {
    for (let waiting = this.waiting(); waiting.length > 0; waiting = this.waiting()) {
      const ids = waiting.map((sentinel) => sentinel.leadId);
      const stored = new Set(
        (
          await this.pipeline
            .query<{ lead_id: string }>(
              'SELECT lead_id FROM leads WHERE account_id = $1 AND lead_id = ANY($2) AND received_at IS NOT NULL',
              [this.account.id, ids],
            )
            .catch(() => [])
        ).map((row) => row.lead_id),
      );
      const leadOf = (leadId: string) => ({ accountId: this.account.id, leadId });
      const inCrm =
        stored.size > 0
          ? (await crmCopies(this.pipeline.sandbox, [...stored].map(leadOf)).catch(() => undefined))?.hubspot
          : undefined;
      const now = Date.now();
      for (const sentinel of waiting)
        if (stored.has(sentinel.leadId) && (inCrm?.get(accountLeadKey(leadOf(sentinel.leadId))) ?? 0) > 0)
          sentinel.reachedAt = now;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
