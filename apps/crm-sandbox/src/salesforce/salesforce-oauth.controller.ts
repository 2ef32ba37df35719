import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sendJson, type SandboxRequest } from '../common/sandbox-request';
import { SandboxConfig } from '../sandbox.config';
import { AssertionError, jwtVerificationKey, readAssertion } from './jwt-assertion';
import { SalesforceLoginGuard } from './salesforce-login.guard';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceConfig } from './salesforce.config';
import { clientCredentialsOf, tokenForm } from './token-request';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const AUDIENCES = ['https://login.salesforce.com', 'https://test.salesforce.com'];

/** `POST /services/oauth2/token`: server-to-server flows only (client credentials, JWT bearer). */
@Controller('services/oauth2')
@UseGuards(SalesforceLoginGuard)
export class SalesforceOauthController {
  private readonly jwtKey: KeyObject | undefined;

  constructor(
    private readonly sessions: SalesforceSessions,
    private readonly sandbox: SandboxConfig,
    config: SalesforceConfig,
  ) {
    this.jwtKey = config.SALESFORCE_JWT_PUBLIC_KEY
      ? jwtVerificationKey(config.SALESFORCE_JWT_PUBLIC_KEY)
      : undefined;
  }

  @Post('token')
  @CrmEndpoint('salesforce.oauth.token')
  token(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const fail = (error: string, description: string) =>
      sendJson(res, 400, { error, error_description: description });
    const form = tokenForm(req);
    const instanceUrl =
      this.sandbox.SANDBOX_PUBLIC_URL?.replace(/\/$/, '') ?? `${req.protocol}://${req.headers.host}`;
    const now = Date.now();

    if (form['grant_type'] === 'client_credentials') {
      const { clientId, clientSecret } = clientCredentialsOf(req);
      const org = clientId === undefined ? undefined : this.sessions.orgByClientId(clientId);
      if (!org) return fail('invalid_client_id', 'client identifier invalid');
      if (clientSecret !== org.clientSecret) return fail('invalid_client', 'invalid client credentials');
      return sendJson(res, 200, this.sessions.issue(org, instanceUrl, now));
    }

    if (form['grant_type'] === JWT_BEARER) {
      try {
        const claims = readAssertion(form['assertion'] ?? '', this.jwtKey, now);
        const org = typeof claims.iss === 'string' ? this.sessions.orgByClientId(claims.iss) : undefined;
        if (!org) return fail('invalid_client_id', 'client identifier invalid');
        const audiences = [...AUDIENCES, instanceUrl];
        const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        if (!audience.some((aud) => typeof aud === 'string' && audiences.includes(aud.replace(/\/$/, '')))) {
          return fail('invalid_grant', 'audience is invalid');
        }
        return sendJson(res, 200, this.sessions.issue(org, instanceUrl, now));
      } catch (error) {
        if (error instanceof AssertionError) return fail('invalid_grant', error.message);
        throw error;
      }
    }

    return fail('unsupported_grant_type', 'grant type not supported');
  }
}
