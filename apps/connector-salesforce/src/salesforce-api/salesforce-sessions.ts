import type { SalesforceCredentials } from '../accounts/salesforce-accounts';
import { parseJsonOrUndefined, type CallBudget, type ConnectorLogger } from '@lead-delivery/connector-kit';
import { jwtBearerAssertion } from './jwt-bearer-assertion';
import { SalesforceApiError, salesforceErrorOf } from './salesforce-api.error';
import { exchange } from './salesforce-http';

/** An access token and the instance it is for. Client credentials and JWT bearer issue no refresh token. */
export interface SalesforceSession {
  accessToken: string;
  instanceUrl: string;
}

/**
 * An org the connector writes to: its credentials, whether every account without its own shares it, and
 * the org's call budget during a delivery or an erasure (each REST request takes a unit first and reports
 * Sforce-Limit-Info after; the token endpoint does not count).
 */
export interface SalesforceOrg {
  credentials: SalesforceCredentials;
  sharedOrg: boolean;
  budget?: CallBudget;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * One cached session per org (login URL + client + user). Concurrent calls share one token request, and an
 * expired session is replaced once however many calls saw it expire.
 */
export class SalesforceSessions {
  private readonly sessions = new Map<string, Promise<SalesforceSession>>();

  constructor(private readonly options: { timeoutMs: number; logger: ConnectorLogger }) {}

  get(org: SalesforceOrg, signal: AbortSignal): Promise<SalesforceSession> {
    const key = keyOf(org.credentials);
    const cached = this.sessions.get(key);
    if (cached) return cached;
    const session = this.requestToken(org, signal);
    this.sessions.set(key, session);
    session.catch(() => {
      if (this.sessions.get(key) === session) this.sessions.delete(key);
    });
    return session;
  }

  /** Forgets `session` (the org refused it), unless another call has already replaced it. */
  expire(org: SalesforceOrg, session: Promise<SalesforceSession>): void {
    const key = keyOf(org.credentials);
    if (this.sessions.get(key) === session) this.sessions.delete(key);
  }

  private async requestToken(org: SalesforceOrg, signal: AbortSignal): Promise<SalesforceSession> {
    const { credentials } = org;
    const form: Record<string, string> =
      credentials.flow === 'client_credentials'
        ? {
            grant_type: 'client_credentials',
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
          }
        : { grant_type: JWT_BEARER, assertion: jwtBearerAssertion(credentials) };
    const answer = await exchange(
      `${credentials.loginUrl}/services/oauth2/token`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
      },
      { timeoutMs: this.options.timeoutMs, signal },
    );
    if (answer.status !== 200) {
      throw salesforceErrorOf(answer.status, answer.headers, answer.body, 'token', org.sharedOrg);
    }
    const token = (parseJsonOrUndefined(answer.body) ?? {}) as {
      access_token?: unknown;
      instance_url?: unknown;
      id?: unknown;
    };
    if (typeof token.access_token !== 'string' || typeof token.instance_url !== 'string') {
      throw new SalesforceApiError(
        502,
        'INVALID_TOKEN_RESPONSE',
        'the token answer has no access_token or instance_url',
        'token',
        null,
        org.sharedOrg,
      );
    }
    this.options.logger.info(
      { loginUrl: credentials.loginUrl, flow: credentials.flow, orgId: orgIdOf(token.id) },
      'salesforce session opened',
    );
    return { accessToken: token.access_token, instanceUrl: token.instance_url.replace(/\/+$/, '') };
  }
}

const keyOf = (credentials: SalesforceCredentials) =>
  [
    credentials.loginUrl,
    credentials.clientId,
    credentials.flow === 'jwt_bearer' ? credentials.username : '',
  ].join('|');

/** The org id in the identity URL `https://login.salesforce.com/id/<orgId>/<userId>`. */
const orgIdOf = (id: unknown) => (typeof id === 'string' ? id.split('/').at(-2) : undefined);
