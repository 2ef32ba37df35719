import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { bearerToken } from '../common/bearer-token';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sleep, type SandboxRequest } from '../common/sandbox-request';
import { FaultInjector } from '../faults/fault-injector.service';
import { ApiUsage } from '../usage/api-usage.service';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';
import {
  jsonParserError,
  requestLimitExceeded,
  resourceNotFound,
  salesforceFaultError,
  sessionInvalid,
} from './salesforce.error';

const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_API_VERSION = 31;
const MAX_API_VERSION = 66;

/**
 * The front door of the REST API (`/services/data/vXX.X/…`), in the order the real one works: version,
 * latency, outage, session, limits, injected failures; then the handler. Sets `Sforce-Limit-Info`.
 */
@Injectable()
export class SalesforceApiGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SalesforceSessions,
    private readonly store: SalesforceStore,
    private readonly faults: FaultInjector,
    private readonly usage: ApiUsage,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    const call = sandboxContext(req);
    call.crm = 'salesforce';
    call.endpoint = this.reflector.get(CrmEndpoint, context.getHandler());

    const version = /^v(\d{2})\.0$/.exec(req.params['version'] ?? '');
    const major = Number(version?.[1]);
    if (!version || major < MIN_API_VERSION || major > MAX_API_VERSION) throw resourceNotFound();

    const found = this.sessions.find(bearerToken(req));
    call.tenant = found?.org.orgId;
    call.latencyMs = this.faults.latencyMs('salesforce', call.tenant);
    await sleep(call.latencyMs);

    const now = Date.now();
    const outage = this.faults.outage('salesforce', call.tenant, now);
    if (outage) {
      call.fault = 'outage';
      throw salesforceFaultError(outage);
    }
    const authentication = this.sessions.authenticate(found, now);
    if ('rejected' in authentication) {
      if (authentication.rejected === 'expired') call.fault = 'token-expired';
      throw sessionInvalid();
    }
    const org = this.store.org(authentication.session.org.orgId);
    if (!org) throw sessionInvalid();

    const { orgId } = org.org;
    const usage = this.usage.salesforce(orgId);
    const limit = this.faults.dailyLimit('salesforce', orgId);
    const used = usage.daily.count(DAY_MS, now);
    res.setHeader('Sforce-Limit-Info', `api-usage=${used}/${limit}`);
    if (used >= limit) {
      call.fault = 'daily-limit';
      usage.calls.reject('REQUEST_LIMIT_EXCEEDED');
      throw requestLimitExceeded('TotalRequests Limit exceeded.');
    }
    const rateLimit = this.faults.rateLimit('salesforce', orgId);
    if (rateLimit) {
      const waitMs = usage.window.waitMs(rateLimit.max, rateLimit.windowMs, now);
      if (waitMs > 0) {
        call.fault = 'rate-limit';
        usage.calls.reject('REQUEST_LIMIT_EXCEEDED');
        throw requestLimitExceeded(
          'ConcurrentPerOrgLongTxn Limit exceeded.',
          rateLimit.retryAfter ? { 'Retry-After': String(Math.ceil(waitMs / 1000)) } : {},
        );
      }
    }
    const fault = this.faults.nextFault('salesforce', orgId);
    if (fault) {
      call.fault = fault.kind;
      throw salesforceFaultError(fault);
    }

    usage.daily.add(now);
    usage.window.add(now);
    usage.calls.served(call.endpoint ?? 'salesforce.unknown');
    res.setHeader('Sforce-Limit-Info', `api-usage=${used + 1}/${limit}`);
    const lostAfterMs = this.faults.lostAnswerAfterMs('salesforce', orgId, call.endpoint);
    if (lostAfterMs !== undefined) {
      call.fault = 'lost-answer';
      call.loseAnswerAfterMs = lostAfterMs;
    }
    if (req.bodyError) throw jsonParserError(req.bodyError);
    return true;
  }
}
