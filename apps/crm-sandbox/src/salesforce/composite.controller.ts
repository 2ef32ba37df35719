import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { compositeRecords, runComposite } from './composite';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SalesforceDml } from './salesforce-dml.service';
import { orgOf, saveOptionsOf } from './salesforce-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';

/** The Composite resource: up to 25 dependent subrequests in one API request (see runComposite). */
@Controller('services/data/:version/composite')
@UseGuards(SalesforceApiGuard)
export class CompositeController {
  constructor(
    private readonly dml: SalesforceDml,
    private readonly sessions: SalesforceSessions,
    private readonly store: SalesforceStore,
  ) {}

  @Post()
  @CrmEndpoint('salesforce.composite')
  composite(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const org = orgOf(req, this.sessions, this.store);
    const records = compositeRecords(req.body);
    if (records !== undefined) sandboxContext(req).records = records;
    sendJson(res, 200, {
      compositeResponse: runComposite(this.dml, org, req.body, saveOptionsOf(req)),
    });
  }
}
