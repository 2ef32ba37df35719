/**
 * One dependency a probe looks at. `check` resolves with details when healthy and throws when not;
 * it must be cheap, and it is given a deadline by the health controller.
 */
export interface HealthCheck {
  name: string;
  check(): Promise<Record<string, unknown> | void>;
}
