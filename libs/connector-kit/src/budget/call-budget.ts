/**
 * What one CRM answer said about its credential's limits, in neutral terms. The connector reads its CRM's
 * headers into it (HubSpot: `X-HubSpot-RateLimit-*`; Salesforce: `Sforce-Limit-Info: api-usage=N/M`).
 */
export interface RateLimitReport {
  /** The CRM's short rolling window: its size, its maximum and what is left of it after this call. */
  window?: { max: number; remaining: number; intervalMs: number };
  /** The daily allocation and what is left of it (HubSpot per calendar day, Salesforce over a rolling 24 h). */
  daily?: { limit: number; remaining: number };
}

/**
 * The call budget of the credential (HubSpot portal token, Salesforce org) a delivery runs under, shared by
 * every replica of the connector. A connector takes one unit before each HTTP request it sends and reports
 * the rate-limit headers of every answer, failed ones included.
 */
export interface CallBudget {
  /** Waits (without holding the budget of other credentials) until the credential may make one more call. */
  acquire(): Promise<void>;
  report(report: RateLimitReport): void;
}

/** A credential's overrides of the CRM's limits, from the connector's accounts file. */
export interface CallLimits {
  /** Calls per window (at most the CRM's; e.g. lower, to leave room for other integrations on the portal). */
  callsPerWindow?: number;
  windowMs?: number;
  /** The daily calls this connector may use; the daily shares (alert, throttle) are of this number. */
  dailyLimit?: number;
}

/**
 * The credential an account's calls are made with. `key` identifies it across replicas and in metrics: a
 * hash (see `credentialKey`), never the secret itself. Accounts that share a credential share its budget.
 */
export interface Credential {
  key: string;
  limits?: CallLimits;
}
