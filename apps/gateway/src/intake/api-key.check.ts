import { Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { AccountDirectory } from '../accounts/account-directory';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { Problems } from '../problems/problem.exception';
import { setIntakeContext } from './intake-context';

/** X-API-Key → account, before the body is read: missing or unknown key 401, disabled account 403. */
@Injectable()
export class ApiKeyCheck {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly metrics: GatewayMetrics,
  ) {}

  authenticate(request: IncomingMessage): void {
    const header = request.headers['x-api-key'];
    const apiKey = Array.isArray(header) ? header[0] : header;
    if (!apiKey) {
      this.metrics.lead('unauthenticated');
      throw Problems.missingApiKey();
    }
    const account = this.accounts.findByApiKey(apiKey);
    if (!account) {
      this.metrics.lead('unauthenticated');
      throw Problems.unknownApiKey();
    }
    if (!account.enabled) {
      this.metrics.lead('forbidden');
      throw Problems.accountDisabled();
    }
    setIntakeContext(request, { account });
  }
}
