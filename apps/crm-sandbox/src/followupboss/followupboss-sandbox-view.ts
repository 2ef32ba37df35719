import { Injectable, NotFoundException } from '@nestjs/common';
import type { Crm } from '../common/crm';
import { SandboxCrmView } from '../inspection/sandbox-crm-view';
import type { SeedHistoryDto } from '../seed/seed-history.dto';
import type { SeedResult } from '../seed/seeded-history';
import { FOLLOWUPBOSS, WINDOW_MS } from './followupboss-api.guard';
import { seedFollowupbossHistory } from './followupboss-history';
import { FollowupbossStore, type FubAccount } from './followupboss-store.service';

/** The contexts Follow Up Boss counts calls in, each its own sliding window (see FollowupbossApiGuard). */
const LIMIT_CONTEXTS = ['POST.events', 'events', 'global'] as const;

/** The fake Follow Up Boss in the shared admin endpoints: its accounts (tenants), their usage, seeding. */
@Injectable()
export class FollowupbossSandboxView extends SandboxCrmView {
  readonly crm: Crm = FOLLOWUPBOSS;

  constructor(private readonly store: FollowupbossStore) {
    super();
  }

  summary() {
    return {
      accounts: this.store.accounts().map((account) => ({
        accountId: account.accountId,
        people: account.people.length,
        events: account.events.length,
        archivedSources: [...account.archivedSources],
      })),
    };
  }

  /** Per account, the calls in each context's current sliding window. */
  usage(tenant: string | undefined, now: number) {
    return this.accountsOf(tenant).map((account) => ({
      accountId: account.accountId,
      tenSecondly: {
        windowMs: WINDOW_MS,
        used: Object.fromEntries(
          LIMIT_CONTEXTS.map((context) => [context, account.window(context).count(WINDOW_MS, now)]),
        ),
      },
    }));
  }

  resetUsage(tenant: string | undefined): void {
    for (const account of this.accountsOf(tenant)) account.windows.clear();
  }

  override seedHistory(history: SeedHistoryDto, tenant: string | undefined, now: number): SeedResult {
    const account = tenant ? this.store.account(tenant) : this.store.accounts()[0];
    if (!account) throw new NotFoundException(`no Follow Up Boss account ${tenant}`);
    return seedFollowupbossHistory(this.store, account, history, now);
  }

  private accountsOf(tenant: string | undefined): FubAccount[] {
    return this.store.accounts().filter(({ accountId }) => tenant === undefined || accountId === tenant);
  }
}
