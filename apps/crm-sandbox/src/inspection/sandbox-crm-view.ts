import type { Crm } from '../common/crm';
import type { SeedHistoryDto } from '../seed/seed-history.dto';
import type { SeedResult } from '../seed/seeded-history';

/**
 * What one fake CRM contributes to the sandbox's shared admin endpoints: its member of `GET /sandbox`, its
 * `/sandbox/usage/<crm>` and, if it can, its `/sandbox/seed/<crm>`. Each CRM module provides and exports one
 * subclass; SandboxCrmViews finds them, so a new CRM folder appears in each endpoint by itself.
 */
export abstract class SandboxCrmView {
  abstract readonly crm: Crm;

  /** Its member of `GET /sandbox`: its tenants, each with what it holds, e.g. `{ orgs: [...] }`. */
  abstract summary(now: number): Record<string, unknown>;

  /** `GET /sandbox/usage/<crm>`: per tenant (every one, or the one asked for), what it used of the limits. */
  abstract usage(tenant: string | undefined, now: number): unknown[];

  /** `DELETE /sandbox/usage[/<crm>]`: the tenant's (or every tenant's) counts and limit windows start over. */
  abstract resetUsage(tenant: string | undefined): void;

  /**
   * `POST /sandbox/seed/<crm>`: people who already have a history, written into the tenant (default: the
   * first) without counting toward its limits. A CRM without it answers 404.
   */
  seedHistory?(history: SeedHistoryDto, tenant: string | undefined, now: number): SeedResult;
}
