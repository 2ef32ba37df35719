import { Controller, Delete, Patch, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { queryString, sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SalesforceDml } from './salesforce-dml.service';
import { orgOf, saveOptionsOf } from './salesforce-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';
import { SalesforceError, jsonParserError, resourceNotFound } from './salesforce.error';

/**
 * What an erasure calls in sObject Collections (API v42.0+): `DELETE …/composite/sobjects?ids=…&allOrNone=…`
 * (≤ 200 ids, 200 OK with one DeleteResult per id, in order) and `PATCH …/composite/sobjects` (update by id).
 */
@Controller('services/data/:version/composite/sobjects')
@UseGuards(SalesforceApiGuard)
export class CollectionsErasureController {
  constructor(
    private readonly dml: SalesforceDml,
    private readonly sessions: SalesforceSessions,
    private readonly store: SalesforceStore,
  ) {}

  @Delete()
  @CrmEndpoint('salesforce.collections.delete')
  remove(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const org = orgOf(req, this.sessions, this.store);
    requireVersion(req);
    const ids = (queryString(req, 'ids') ?? '').split(',').filter((id) => id !== '');
    if (ids.length === 0) throw SalesforceError.of(400, 'MISSING_ARGUMENT', 'ids parameter not specified');
    const allOrNone = queryString(req, 'allOrNone') === 'true';
    sandboxContext(req).records = ids.length;
    sendJson(res, 200, this.dml.deleteMany(org, ids, allOrNone));
  }

  @Patch()
  @CrmEndpoint('salesforce.collections.update')
  update(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const org = orgOf(req, this.sessions, this.store);
    requireVersion(req);
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw jsonParserError('Cannot deserialize the request body: expected {"allOrNone": …, "records": […]}');
    }
    const { records, allOrNone = false } = body as { records?: unknown; allOrNone?: unknown };
    if (typeof allOrNone !== 'boolean')
      throw jsonParserError(`allOrNone: expected true or false, got ${JSON.stringify(allOrNone)}`);
    if (Array.isArray(records)) sandboxContext(req).records = records.length;
    sendJson(res, 200, this.dml.updateMany(org, records, allOrNone, saveOptionsOf(req)));
  }
}

function requireVersion(req: SandboxRequest): void {
  if (Number(/\d+/.exec(req.params['version'] ?? '')?.[0]) < 42) throw resourceNotFound();
}
