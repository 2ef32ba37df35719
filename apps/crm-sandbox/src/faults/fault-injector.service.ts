import { Inject, Injectable } from '@nestjs/common';
import type { Crm } from '../common/crm';
import type { CrmEndpointName } from '../common/crm-endpoint.decorator';
import type {
  BurstDto,
  ErrorRateDto,
  FaultSettingsDto,
  FaultStatus,
  HubspotPolicy,
  LostAnswersDto,
  OutageDto,
  RateLimitDto,
  ValidationRuleDto,
} from './fault-settings.dto';
import { randomSeed, seededRandom } from './seeded-random';

/** A failure the sandbox answers a call with instead of serving it. */

/**
 * Epoch ms with sub-millisecond precision and never going back: token issue times and the moment tokens
 * are expired compare on it, so a token issued in the same millisecond as an expiry is still ordered.
 */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
export interface InjectedFault {
  kind: 'outage' | 'burst' | 'error-rate';
  status: FaultStatus;
  retryAfterSeconds?: number;
  policyName?: HubspotPolicy;
  html?: boolean;
}

export interface FaultDefaults {
  seed?: number;
  latency: { fixedMs: number; jitterMs: number };
  /** The CRM's own rate limit, when it has one per short window (HubSpot's ten-secondly limit). */
  rateLimit: Partial<Record<Crm, RateLimitDto>>;
  /** The CRM's daily allocation, when it has one (HubSpot: per portal per day; Salesforce: per org per rolling 24 h). */
  dailyLimit: Partial<Record<Crm, number>>;
}

export const FAULT_DEFAULTS = Symbol('FAULT_DEFAULTS');

interface Burst extends Omit<BurstDto, 'count'> {
  remaining: number;
}

interface Outage extends Omit<OutageDto, 'durationMs'> {
  until?: number;
}

interface LostAnswers extends Omit<LostAnswersDto, 'count'> {
  remaining: number;
}

interface TokenExpiry {
  issuedBefore: number;
  callsLeft: number;
}

/** Faults of one CRM (`tenant` unset) or of one org / portal of it. */
class FaultScope {
  settings?: FaultSettingsDto;
  random: () => number;
  burst?: Burst;
  outage?: Outage;
  tokenExpiry?: TokenExpiry;
  lostAnswers?: LostAnswers;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }
}

/**
 * Fault state per CRM and per tenant (Salesforce org, HubSpot portal). A tenant's own settings replace the
 * CRM-wide ones; bursts, outages and token expiry apply from either scope.
 */
@Injectable()
export class FaultInjector {
  private readonly scopes = new Map<string, FaultScope>();
  private readonly random: () => number;

  constructor(@Inject(FAULT_DEFAULTS) private readonly defaults: FaultDefaults) {
    this.random = seededRandom(defaults.seed ?? randomSeed());
  }

  configure(crm: Crm, tenant: string | undefined, settings: FaultSettingsDto): void {
    const scope = this.scope(crm, tenant);
    scope.settings = settings;
    scope.random = seededRandom(settings.seed ?? this.defaults.seed ?? randomSeed());
  }

  startBurst(crm: Crm, tenant: string | undefined, { count, ...response }: BurstDto): void {
    this.scope(crm, tenant).burst = { ...response, remaining: count };
  }

  startOutage(
    crm: Crm,
    tenant: string | undefined,
    { durationMs, ...response }: OutageDto,
    now: number,
  ): void {
    this.scope(crm, tenant).outage = { ...response, ...(durationMs ? { until: now + durationMs } : {}) };
  }

  endOutage(crm: Crm, tenant: string | undefined): void {
    const scope = this.scopes.get(key(crm, tenant));
    if (scope) delete scope.outage;
  }

  loseAnswers(crm: Crm, tenant: string | undefined, { count, ...lost }: LostAnswersDto): void {
    this.scope(crm, tenant).lostAnswers = { ...lost, remaining: count };
  }

  /** `now`: preciseNow(), as the tokens' issue times, so a token issued in the same millisecond is ordered. */
  expireTokens(crm: Crm, tenant: string | undefined, afterCalls: number, now: number): void {
    this.scope(crm, tenant).tokenExpiry = { issuedBefore: now, callsLeft: afterCalls };
  }

  /** Clears the faults of one tenant, or of the whole CRM and all its tenants. */
  clear(crm: Crm, tenant?: string): void {
    if (tenant !== undefined) {
      this.scopes.delete(key(crm, tenant));
      return;
    }
    for (const name of [...this.scopes.keys()]) {
      if (name === crm || name.startsWith(`${crm}:`)) this.scopes.delete(name);
    }
  }

  reset(): void {
    this.scopes.clear();
  }

  latencyMs(crm: Crm, tenant: string | undefined): number {
    const scope = this.settingsScope(crm, tenant);
    const { fixedMs, jitterMs } = scope?.settings?.latency ?? this.defaults.latency;
    if (jitterMs === 0) return fixedMs;
    return fixedMs + Math.floor((scope?.random ?? this.random)() * jitterMs);
  }

  outage(crm: Crm, tenant: string | undefined, now: number): InjectedFault | undefined {
    for (const scope of this.scopesOf(crm, tenant)) {
      const { outage } = scope;
      if (!outage) continue;
      if (outage.until !== undefined && outage.until <= now) {
        delete scope.outage;
        continue;
      }
      const { until: _until, ...response } = outage;
      return { kind: 'outage', status: 503, ...response };
    }
    return undefined;
  }

  /** A burst's next failure, else a random failure at the configured rates, else nothing. */
  nextFault(crm: Crm, tenant: string | undefined): InjectedFault | undefined {
    for (const scope of this.scopesOf(crm, tenant)) {
      const { burst } = scope;
      if (!burst) continue;
      burst.remaining -= 1;
      if (burst.remaining <= 0) delete scope.burst;
      const { remaining: _remaining, ...response } = burst;
      return { kind: 'burst', ...response };
    }
    const scope = this.settingsScope(crm, tenant);
    const errors = scope?.settings?.errors ?? [];
    if (!scope || errors.length === 0) return undefined;
    const draw = scope.random();
    let cumulative = 0;
    for (const { rate, ...response } of errors as ErrorRateDto[]) {
      cumulative += rate;
      if (draw < cumulative) return { kind: 'error-rate', ...response };
    }
    return undefined;
  }

  /**
   * For a call the CRM is about to carry out: when its answer is to be lost, after how many ms the
   * connection is closed instead. Uses up one of the lost answers asked for.
   */
  lostAnswerAfterMs(
    crm: Crm,
    tenant: string | undefined,
    endpoint: CrmEndpointName | undefined,
  ): number | undefined {
    for (const scope of this.scopesOf(crm, tenant)) {
      const { lostAnswers } = scope;
      if (!lostAnswers || (lostAnswers.endpoint !== undefined && lostAnswers.endpoint !== endpoint)) continue;
      lostAnswers.remaining -= 1;
      if (lostAnswers.remaining <= 0) delete scope.lostAnswers;
      return lostAnswers.afterMs;
    }
    return undefined;
  }

  /**
   * Whether a token issued at `issuedAt` has been expired by the admin API. Each call with such a token
   * uses up one of the calls it was granted; at zero it is expired.
   */
  tokenExpired(crm: Crm, tenant: string | undefined, issuedAt: number): boolean {
    for (const { tokenExpiry } of this.scopesOf(crm, tenant)) {
      if (!tokenExpiry || issuedAt >= tokenExpiry.issuedBefore) continue;
      if (tokenExpiry.callsLeft <= 0) return true;
      tokenExpiry.callsLeft -= 1;
    }
    return false;
  }

  /** The short-window rate limit in force: the admin API's, else the CRM's own; undefined when none. */
  rateLimit(crm: Crm, tenant: string | undefined): RateLimitDto | undefined {
    const settings = this.settingsScope(crm, tenant)?.settings;
    if (settings && settings.rateLimit !== undefined) return settings.rateLimit ?? undefined;
    return this.defaults.rateLimit[crm];
  }

  /** The daily allocation in force: the admin API's, else the CRM's configured one, else none. */
  dailyLimit(crm: Crm, tenant: string | undefined): number {
    return (
      this.settingsScope(crm, tenant)?.settings?.dailyLimit ??
      this.defaults.dailyLimit[crm] ??
      Number.POSITIVE_INFINITY
    );
  }

  validationRules(crm: Crm, tenant: string | undefined): ValidationRuleDto[] {
    return this.settingsScope(crm, tenant)?.settings?.validationRules ?? [];
  }

  /** A snapshot for the admin API. */
  describe(): Record<string, unknown> {
    return Object.fromEntries(
      [...this.scopes].map(([name, { settings, burst, outage, tokenExpiry, lostAnswers }]) => [
        name,
        {
          ...(settings ? { settings } : {}),
          ...(burst ? { burst } : {}),
          ...(outage
            ? {
                outage: {
                  ...outage,
                  ...(outage.until ? { until: new Date(outage.until).toISOString() } : {}),
                },
              }
            : {}),
          ...(tokenExpiry
            ? {
                tokenExpiry: {
                  ...tokenExpiry,
                  issuedBefore: new Date(tokenExpiry.issuedBefore).toISOString(),
                },
              }
            : {}),
          ...(lostAnswers ? { lostAnswers } : {}),
        },
      ]),
    );
  }

  private scope(crm: Crm, tenant: string | undefined): FaultScope {
    const name = key(crm, tenant);
    let scope = this.scopes.get(name);
    if (!scope) {
      scope = new FaultScope(this.defaults.seed ?? randomSeed());
      this.scopes.set(name, scope);
    }
    return scope;
  }

  private scopesOf(crm: Crm, tenant: string | undefined): FaultScope[] {
    const scopes = [
      tenant === undefined ? undefined : this.scopes.get(key(crm, tenant)),
      this.scopes.get(crm),
    ];
    return scopes.filter((scope): scope is FaultScope => scope !== undefined);
  }

  private settingsScope(crm: Crm, tenant: string | undefined): FaultScope | undefined {
    return this.scopesOf(crm, tenant).find((scope) => scope.settings !== undefined);
  }
}

const key = (crm: Crm, tenant: string | undefined) => (tenant === undefined ? crm : `${crm}:${tenant}`);
