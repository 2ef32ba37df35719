import { Controller, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SalesforceDml } from './salesforce-dml.service';
import { orgOf, saveOptionsOf } from './salesforce-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';
import { jsonParserError, resourceNotFound } from './salesforce.error';
import { externalIdFieldOf, schemaOf } from './sobject-rows';

/** sObject Collections: up to 200 records per call, 200 OK with one result per record. */
@Controller('services/data/:version/composite/sobjects')
@UseGuards(SalesforceApiGuard)
export class CollectionsController {
  constructor(
    private readonly dml: SalesforceDml,
    private readonly sessions: SalesforceSessions,
    private readonly store: SalesforceStore,
  ) {}

  @Post()
  @CrmEndpoint('salesforce.collections.create')
  create(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const org = orgOf(req, this.sessions, this.store);
    this.requireVersion(req, 42);
    const { records, allOrNone } = readCollection(req);
    sendJson(res, 200, this.dml.createMany(org, records, allOrNone, saveOptionsOf(req)));
  }

  @Patch(':type/:field')
  @CrmEndpoint('salesforce.collections.upsert')
  upsert(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('type') type: string,
    @Param('field') fieldName: string,
  ): void {
    const org = orgOf(req, this.sessions, this.store);
    this.requireVersion(req, 46);
    const schema = schemaOf(this.dml, type);
    const field = externalIdFieldOf(schema, fieldName);
    const { records, allOrNone } = readCollection(req);
    sendJson(res, 200, this.dml.upsertMany(org, schema, field, records, allOrNone, saveOptionsOf(req)));
  }

  private requireVersion(req: SandboxRequest, minimum: number): void {
    if (Number(/\d+/.exec(req.params['version'] ?? '')?.[0]) < minimum) throw resourceNotFound();
  }
}

function readCollection(req: SandboxRequest): { records: unknown; allOrNone: boolean } {
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw jsonParserError('Cannot deserialize the request body: expected {"allOrNone": …, "records": […]}');
  }
  const { records, allOrNone = false } = body as { records?: unknown; allOrNone?: unknown };
  if (typeof allOrNone !== 'boolean')
    throw jsonParserError(`allOrNone: expected true or false, got ${JSON.stringify(allOrNone)}`);
  if (Array.isArray(records)) sandboxContext(req).records = records.length;
  return { records, allOrNone };
}
