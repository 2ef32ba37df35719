import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sleep, type SandboxRequest } from '../common/sandbox-request';
import { FaultInjector } from '../faults/fault-injector.service';
import { clientIdOf } from './token-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { salesforceFaultError } from './salesforce.error';

/** The token endpoint suffers latency and outages like the API; error rates and bursts target the API only. */
@Injectable()
export class SalesforceLoginGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SalesforceSessions,
    private readonly faults: FaultInjector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<SandboxRequest>();
    const call = sandboxContext(req);
    call.crm = 'salesforce';
    call.endpoint = this.reflector.get(CrmEndpoint, context.getHandler());
    const clientId = clientIdOf(req);
    call.tenant = clientId === undefined ? undefined : this.sessions.orgByClientId(clientId)?.orgId;
    call.latencyMs = this.faults.latencyMs('salesforce', call.tenant);
    await sleep(call.latencyMs);
    const outage = this.faults.outage('salesforce', call.tenant, Date.now());
    if (outage) {
      call.fault = 'outage';
      throw salesforceFaultError(outage);
    }
    return true;
  }
}
