import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { FaultInjector, preciseNow } from '../faults/fault-injector.service';
import type { SalesforceOrg } from './salesforce-orgs';
import { SALESFORCE_ORGS } from './salesforce-store.service';
import { SalesforceConfig } from './salesforce.config';

export interface SalesforceSession {
  token: string;
  org: SalesforceOrg;
  /** preciseNow() when issued. */
  issuedAt: number;
  lastUsedAt: number;
  expired: boolean;
}

/** What the token endpoint answers (client credentials and JWT bearer issue no refresh token and no expiry). */
export interface TokenResponse {
  access_token: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

export type Authentication = { session: SalesforceSession } | { rejected: 'unknown' | 'expired' };

/** Access tokens per org: issued by the token endpoint, expired by inactivity or by the admin API. */
@Injectable()
export class SalesforceSessions {
  private readonly sessions = new Map<string, SalesforceSession>();

  constructor(
    @Inject(SALESFORCE_ORGS) readonly orgs: SalesforceOrg[],
    private readonly config: SalesforceConfig,
    private readonly faults: FaultInjector,
  ) {}

  orgByClientId(clientId: string): SalesforceOrg | undefined {
    return this.orgs.find((org) => org.clientId === clientId);
  }

  issue(org: SalesforceOrg, instanceUrl: string, now: number): TokenResponse {
    const token = `${org.orgId.slice(0, 15)}!${randomBytes(72).toString('base64url')}`;
    this.sessions.set(token, { token, org, issuedAt: preciseNow(), lastUsedAt: now, expired: false });
    const id = `https://login.salesforce.com/id/${org.orgId}/${org.userId}`;
    const issuedAt = String(now);
    return {
      access_token: token,
      signature: createHmac('sha256', org.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  }

  /** The session a token belongs to, without checking it is still valid (to know which org a call is for). */
  find(token: string | undefined): SalesforceSession | undefined {
    return token === undefined ? undefined : this.sessions.get(token);
  }

  authenticate(session: SalesforceSession | undefined, now: number): Authentication {
    if (!session) return { rejected: 'unknown' };
    const idle = now - session.lastUsedAt > this.config.SALESFORCE_SESSION_TIMEOUT_SECONDS * 1000;
    if (
      session.expired ||
      idle ||
      this.faults.tokenExpired('salesforce', session.org.orgId, session.issuedAt)
    ) {
      session.expired = true;
      return { rejected: 'expired' };
    }
    session.lastUsedAt = now;
    return { session };
  }

  countFor(orgId: string): number {
    return [...this.sessions.values()].filter((session) => session.org.orgId === orgId && !session.expired)
      .length;
  }
}
