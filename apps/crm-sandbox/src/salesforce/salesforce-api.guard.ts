import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { bearerToken } from '../common/bearer-token';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sleep, type SandboxRequest } from '../common/sandbox-request';
import { FaultInjector } from '../faults/fault-injector.service';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';
import { SalesforceConfig } from './salesforce.config';
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
    private readonly config: SalesforceConfig,
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
    const orgId = found?.org.orgId;
    call.tenant = orgId;
    call.latencyMs = this.faults.latencyMs('salesforce', orgId);
    await sleep(call.latencyMs);

    const now = Date.now();
    const outage = this.faults.outage('salesforce', orgId, now);
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

    const limit = this.config.SALESFORCE_DAILY_API_LIMIT;
    const used = org.dailyUsage.count(DAY_MS, now);
    res.setHeader('Sforce-Limit-Info', `api-usage=${used}/${limit}`);
    if (used >= limit) {
      call.fault = 'daily-limit';
      throw requestLimitExceeded('TotalRequests Limit exceeded.');
    }
    const rateLimit = this.faults.rateLimit('salesforce', org.org.orgId);
    if (rateLimit) {
      const waitMs = org.windowUsage.waitMs(rateLimit.max, rateLimit.windowMs, now);
      if (waitMs > 0) {
        call.fault = 'rate-limit';
        throw requestLimitExceeded(
          'ConcurrentPerOrgLongTxn Limit exceeded.',
          rateLimit.retryAfter ? { 'Retry-After': String(Math.ceil(waitMs / 1000)) } : {},
        );
      }
    }
    const fault = this.faults.nextFault('salesforce', org.org.orgId);
    if (fault) {
      call.fault = fault.kind;
      throw salesforceFaultError(fault);
    }

    org.dailyUsage.add(now);
    org.windowUsage.add(now);
    res.setHeader('Sforce-Limit-Info', `api-usage=${used + 1}/${limit}`);
    const lostAfterMs = this.faults.lostAnswerAfterMs('salesforce', org.org.orgId, call.endpoint);
    if (lostAfterMs !== undefined) {
      call.fault = 'lost-answer';
      call.loseAnswerAfterMs = lostAfterMs;
    }
    if (req.bodyError) throw jsonParserError(req.bodyError);
    return true;
  }
}
