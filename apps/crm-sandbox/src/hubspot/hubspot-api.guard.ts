import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearerToken } from '../common/bearer-token';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sleep, type SandboxRequest } from '../common/sandbox-request';
import { FaultInjector } from '../faults/fault-injector.service';
import { ApiUsage, type HubspotAppUsage, type HubspotPortalUsage } from '../usage/api-usage.service';
import { HubspotStore } from './hubspot-store.service';
import {
  CORRELATION_HEADER,
  credentialsNotFound,
  hubspotFaultError,
  invalidJson,
  rateLimited,
  tokenExpired,
} from './hubspot.error';

/**
 * The front door of the HubSpot API: latency, outage, private-app token, the portal's daily limit and the
 * app's (token's) ten-secondly limit, with the X-HubSpot-RateLimit-* headers on every authenticated answer;
 * then injected failures.
 */
@Injectable()
export class HubspotApiGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: HubspotStore,
    private readonly faults: FaultInjector,
    private readonly usage: ApiUsage,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    const call = sandboxContext(req);
    call.crm = 'hubspot';
    call.endpoint = this.reflector.get(CrmEndpoint, context.getHandler());
    res.setHeader(CORRELATION_HEADER, randomUUID());

    const token = bearerToken(req);
    const portal = this.store.byToken(token);
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
    if (!portal || portalId === undefined || token === undefined) throw credentialsNotFound();
    if (this.faults.tokenExpired('hubspot', portalId, 0)) {
      call.fault = 'token-expired';
      portal.tokenExpiredAt ??= now;
      throw tokenExpired(Math.floor((now - portal.tokenExpiredAt) / 1000));
    }
    delete portal.tokenExpiredAt;

    const usage = this.usage.hubspot(portalId);
    const app = usage.app(token);
    if (usage.daily.count(now) >= this.faults.dailyLimit('hubspot', portalId)) {
      call.fault = 'daily-limit';
      usage.calls.reject('DAILY');
      app.calls.reject('DAILY');
      throw rateLimited('DAILY', portalId, this.limitHeaders(portalId, usage, app, now));
    }
    const rateLimit = this.faults.rateLimit('hubspot', portalId);
    const waitMs = rateLimit ? app.tenSecondly.waitMs(rateLimit.max, rateLimit.windowMs, now) : 0;
    if (waitMs > 0) {
      call.fault = 'rate-limit';
      usage.calls.reject('TEN_SECONDLY_ROLLING');
      app.calls.reject('TEN_SECONDLY_ROLLING');
      const retryAfter: Record<string, string> = rateLimit?.retryAfter
        ? { 'Retry-After': String(Math.ceil(waitMs / 1000)) }
        : {};
      throw rateLimited('TEN_SECONDLY_ROLLING', portalId, {
        ...this.limitHeaders(portalId, usage, app, now),
        ...retryAfter,
      });
    }
    const fault = this.faults.nextFault('hubspot', portalId);
    if (fault) {
      call.fault = fault.kind;
      throw hubspotFaultError(fault, portalId);
    }

    const endpoint = call.endpoint ?? 'hubspot.unknown';
    usage.daily.add(now);
    usage.calls.served(endpoint);
    app.tenSecondly.add(now);
    app.calls.served(endpoint);
    for (const [name, value] of Object.entries(this.limitHeaders(portalId, usage, app, now))) {
      res.setHeader(name, value);
    }
    const lostAfterMs = this.faults.lostAnswerAfterMs('hubspot', portalId, call.endpoint);
    if (lostAfterMs !== undefined) {
      call.fault = 'lost-answer';
      call.loseAnswerAfterMs = lostAfterMs;
    }
    if (req.bodyError) throw invalidJson(req.bodyError);
    return true;
  }

  /**
   * The headers HubSpot's usage guidelines list for private-app calls: the portal's daily limit and what is
   * left of it, and the app's ten-secondly window, its maximum and what is left of it.
   */
  private limitHeaders(
    portalId: string,
    usage: HubspotPortalUsage,
    app: HubspotAppUsage,
    now: number,
  ): Record<string, string> {
    const dailyLimit = this.faults.dailyLimit('hubspot', portalId);
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Daily': String(dailyLimit),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, dailyLimit - usage.daily.count(now))),
    };
    const rateLimit = this.faults.rateLimit('hubspot', portalId);
    if (rateLimit) {
      headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(rateLimit.windowMs);
      headers['X-HubSpot-RateLimit-Max'] = String(rateLimit.max);
      headers['X-HubSpot-RateLimit-Remaining'] = String(
        Math.max(0, rateLimit.max - app.tenSecondly.count(rateLimit.windowMs, now)),
      );
    }
    return headers;
  }
}
