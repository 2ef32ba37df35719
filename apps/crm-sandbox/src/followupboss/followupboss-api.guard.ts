import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import type { Crm } from '../common/crm';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sleep, type SandboxRequest } from '../common/sandbox-request';
import { FaultInjector } from '../faults/fault-injector.service';
import { FollowupbossStore, type FubAccount } from './followupboss-store.service';
import { FollowupbossConfig, READ_LIMITS } from './followupboss.config';
import { accessDenied, followupbossFaultError, tooManyRequests } from './followupboss.error';

/** The fault injector's name of this CRM (a registry connector's id once the sandbox loads it from there). */
export const FOLLOWUPBOSS = 'followupboss' as string as Crm;

/** The sliding window every limit context counts its calls in. */
export const WINDOW_MS = 10_000;

/** Requests of an authenticated call, once it passed the guard. */
export interface FollowupbossRequest extends SandboxRequest {
  followupboss?: { account: FubAccount; system?: string };
}

/**
 * The front door of the Follow Up Boss API: latency, outage, Basic auth (the API key as user name), the
 * system headers, the sliding 10 s limit of the call's context with X-RateLimit-* on every authenticated
 * answer, then injected failures and lost answers.
 */
@Injectable()
export class FollowupbossApiGuard implements CanActivate {
  constructor(
    private readonly store: FollowupbossStore,
    private readonly faults: FaultInjector,
    private readonly config: FollowupbossConfig,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FollowupbossRequest>();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    const call = sandboxContext(req);
    call.crm = FOLLOWUPBOSS;
    call.endpoint = this.reflector.get(CrmEndpoint, context.getHandler());
    const account = this.store.byApiKey(basicUser(req));
    call.tenant = account?.accountId;
    call.latencyMs = this.faults.latencyMs(FOLLOWUPBOSS, call.tenant);
    await sleep(call.latencyMs);

    const outage = this.faults.outage(FOLLOWUPBOSS, call.tenant, Date.now());
    if (outage) {
      call.fault = 'outage';
      throw followupbossFaultError(outage);
    }
    if (!account) throw accessDenied();

    const system = header(req, 'x-system');
    const registered = this.store.isRegistered(system, header(req, 'x-system-key'));
    const limitContext = contextOf(req);
    const max =
      this.faults.rateLimit(FOLLOWUPBOSS, account.accountId)?.max ??
      (limitContext === 'POST.events'
        ? this.config.FOLLOWUPBOSS_POST_EVENTS_LIMIT
        : READ_LIMITS[registered ? 'registered' : 'unregistered'][limitContext]);
    const window = account.window(limitContext);
    const now = Date.now();
    const waitMs = window.waitMs(max, WINDOW_MS, now);
    if (waitMs === 0) window.add(now);
    const headers = {
      'X-RateLimit-Limit': String(max),
      'X-RateLimit-Remaining': String(Math.max(0, max - window.count(WINDOW_MS, now))),
      'X-RateLimit-Window': String(WINDOW_MS / 1000),
      'X-RateLimit-Context': limitContext,
    };
    if (waitMs > 0) {
      call.fault = 'rate-limit';
      throw tooManyRequests({ ...headers, 'Retry-After': String(Math.ceil(waitMs / 1000)) });
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);

    const fault = this.faults.nextFault(FOLLOWUPBOSS, account.accountId);
    if (fault) {
      call.fault = fault.kind;
      throw followupbossFaultError(fault);
    }
    const lostAfterMs = this.faults.lostAnswerAfterMs(FOLLOWUPBOSS, account.accountId, call.endpoint);
    if (lostAfterMs !== undefined) {
      call.fault = 'lost-answer';
      call.loseAnswerAfterMs = lostAfterMs;
    }
    req.followupboss = { account, ...(system ? { system } : {}) };
    return true;
  }
}

/** Each endpoint counts in one context: POST /v1/events its own, GET /v1/events `events`, the rest `global`. */
function contextOf(req: SandboxRequest): 'POST.events' | 'events' | 'global' {
  if (req.path !== '/v1/events') return 'global';
  return req.method === 'POST' ? 'POST.events' : 'events';
}

/** The user name of `Authorization: Basic` (any password is accepted, as Follow Up Boss does). */
function basicUser(req: SandboxRequest): string | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? decoded : decoded.slice(0, colon);
}

function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
