import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearerToken } from '../common/bearer-token';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sleep, type SandboxRequest } from '../common/sandbox-request';
import { FaultInjector } from '../faults/fault-injector.service';
import { HubspotStore, type PortalData } from './hubspot-store.service';
import { HubspotConfig } from './hubspot.config';
import {
  CORRELATION_HEADER,
  credentialsNotFound,
  hubspotFaultError,
  invalidJson,
  rateLimited,
  tokenExpired,
} from './hubspot.error';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The front door of the HubSpot API: latency, outage, private-app token, daily and ten-secondly limits
 * (with the X-HubSpot-RateLimit-* headers on every authenticated answer), injected failures.
 */
@Injectable()
export class HubspotApiGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: HubspotStore,
    private readonly faults: FaultInjector,
    private readonly config: HubspotConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    const call = sandboxContext(req);
    call.crm = 'hubspot';
    call.endpoint = this.reflector.get(CrmEndpoint, context.getHandler());
    res.setHeader(CORRELATION_HEADER, randomUUID());

    const portal = this.store.byToken(bearerToken(req));
    const portalId = portal?.portal.portalId;
    call.tenant = portalId;
    call.latencyMs = this.faults.latencyMs('hubspot', portalId);
    await sleep(call.latencyMs);

    const now = Date.now();
    const outage = this.faults.outage('hubspot', portalId, now);
    if (outage) {
      call.fault = 'outage';
      throw hubspotFaultError(outage, portalId);
    }
    if (!portal) throw credentialsNotFound();
    if (this.faults.tokenExpired('hubspot', portal.portal.portalId, 0)) {
      call.fault = 'token-expired';
      portal.tokenExpiredAt ??= now;
      throw tokenExpired(Math.floor((now - portal.tokenExpiredAt) / 1000));
    }
    delete portal.tokenExpiredAt;

    const daily = portal.daily.count(DAY_MS, now);
    if (daily >= this.config.HUBSPOT_DAILY_LIMIT) {
      call.fault = 'daily-limit';
      throw rateLimited('DAILY', portal.portal.portalId, this.limitHeaders(portal, now));
    }
    const rateLimit = this.faults.rateLimit('hubspot', portal.portal.portalId);
    const waitMs = rateLimit ? portal.tenSecondly.waitMs(rateLimit.max, rateLimit.windowMs, now) : 0;
    if (waitMs > 0) {
      call.fault = 'rate-limit';
      const retryAfter: Record<string, string> = rateLimit?.retryAfter
        ? { 'Retry-After': String(Math.ceil(waitMs / 1000)) }
        : {};
      throw rateLimited('TEN_SECONDLY_ROLLING', portal.portal.portalId, {
        ...this.limitHeaders(portal, now),
        ...retryAfter,
      });
    }
    const fault = this.faults.nextFault('hubspot', portal.portal.portalId);
    if (fault) {
      call.fault = fault.kind;
      throw hubspotFaultError(fault, portal.portal.portalId);
    }

    portal.daily.add(now);
    portal.tenSecondly.add(now);
    for (const [name, value] of Object.entries(this.limitHeaders(portal, now))) res.setHeader(name, value);
    const lostAfterMs = this.faults.lostAnswerAfterMs('hubspot', portal.portal.portalId, call.endpoint);
    if (lostAfterMs !== undefined) {
      call.fault = 'lost-answer';
      call.loseAnswerAfterMs = lostAfterMs;
    }
    if (req.bodyError) throw invalidJson(req.bodyError);
    return true;
  }

  private limitHeaders(portal: PortalData, now: number): Record<string, string> {
    const dailyLimit = this.config.HUBSPOT_DAILY_LIMIT;
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Daily': String(dailyLimit),
      'X-HubSpot-RateLimit-Daily-Remaining': String(
        Math.max(0, dailyLimit - portal.daily.count(DAY_MS, now)),
      ),
    };
    const rateLimit = this.faults.rateLimit('hubspot', portal.portal.portalId);
    if (rateLimit) {
      headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(rateLimit.windowMs);
      headers['X-HubSpot-RateLimit-Max'] = String(rateLimit.max);
      headers['X-HubSpot-RateLimit-Remaining'] = String(
        Math.max(0, rateLimit.max - portal.tenSecondly.count(rateLimit.windowMs, now)),
      );
    }
    return headers;
  }
}
