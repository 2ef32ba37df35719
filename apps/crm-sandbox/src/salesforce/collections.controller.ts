import { Controller, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SalesforceDml } from './salesforce-dml.service';
import { orgOf, saveOptionsOf } from './salesforce-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';
import { createCollection, readCollection, upsertCollection } from './sobject-collections';

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
  create(@Req() req: SandboxRequest, @Res() res: ServerResponse, @Param('version') version: string): void {
    const org = orgOf(req, this.sessions, this.store);
    const collection = logged(req, readCollection(req.body));
    sendJson(res, 200, createCollection(this.dml, org, version, collection, saveOptionsOf(req)));
  }

  @Patch(':type/:field')
  @CrmEndpoint('salesforce.collections.upsert')
  upsert(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('version') version: string,
    @Param('type') type: string,
    @Param('field') field: string,
  ): void {
    const org = orgOf(req, this.sessions, this.store);
    const collection = logged(req, readCollection(req.body));
    sendJson(
      res,
      200,
      upsertCollection(this.dml, org, { version, type, field }, collection, saveOptionsOf(req)),
    );
  }
}

/** The request log counts the collection's records. */
function logged<T extends { records: unknown }>(req: SandboxRequest, collection: T): T {
  if (Array.isArray(collection.records)) sandboxContext(req).records = collection.records.length;
  return collection;
}
