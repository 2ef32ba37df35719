/**
 * How a CRM failure is handled:
 * - `rate_limited`: throttled (429, Salesforce REQUEST_LIMIT_EXCEEDED); retried after `retryAfterMs`.
 * - `transient`: one request failed (network, timeout, 5xx); retried with backoff.
 * - `unavailable`: the CRM service itself is down (maintenance page, host unreachable); retried, and enough
 *   of them in a row pause consumption even when only one account is active.
 * - `auth`: credentials refused after the connector's own token refresh; retried later (parked), since
 *   an operator has to fix them.
 * - `rejected`: the CRM refused the data; never retried, the record is dead-lettered.
 */
export const CONNECTOR_ERROR_KINDS = [
  'rate_limited',
  'transient',
  'unavailable',
  'auth',
  'rejected',
] as const;
export type ConnectorErrorKind = (typeof CONNECTOR_ERROR_KINDS)[number];

export interface ConnectorErrorOptions {
  /** From `Retry-After` (see `retryAfterMs()`), or the CRM's documented window. */
  retryAfterMs?: number;
  /**
   * `destination` when the failure concerns every account at once (e.g. the app's daily quota):
   * consumption then pauses. Defaults to `account`.
   */
  scope?: 'account' | 'destination';
  cause?: unknown;
}

/** A CRM failure, classified. Connectors return it per record, or build it in `classify` for whole calls. */
export class ConnectorError extends Error {
  readonly retryAfterMs?: number;
  readonly scope: 'account' | 'destination';

  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    options: ConnectorErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.scope = options.scope ?? 'account';
    if (options.retryAfterMs !== undefined) this.retryAfterMs = Math.max(0, options.retryAfterMs);
  }

  get retryable(): boolean {
    return this.kind !== 'rejected';
  }
}

/** Thrown by a connector's `map` when a lead cannot be turned into a CRM record: the lead is dead-lettered. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/**
 * The delay a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when the header is absent or unreadable.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
