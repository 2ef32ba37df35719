import { Controller, Get, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { FaultInjector } from '../faults/fault-injector.service';
import { ApiUsage } from '../usage/api-usage.service';
import {
  queryString,
  sandboxContext,
  sendJson,
  sendNoContent,
  type SandboxRequest,
} from '../common/sandbox-request';
import { recordView } from './record-view';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SalesforceDml } from './salesforce-dml.service';
import { normalizeId } from './salesforce-id';
import { orgOf, saveOptionsOf } from './salesforce-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore } from './salesforce-store.service';
import { resourceNotFound } from './salesforce.error';
import type { FieldDef } from './sobject-schema';
import { createRow, externalIdFieldOf, schemaOf, upsertRow } from './sobject-rows';

/** sObject Basic Information, Rows and Rows by External ID, Describe, and Limits. */
@Controller('services/data/:version')
@UseGuards(SalesforceApiGuard)
export class SObjectsController {
  constructor(
    private readonly dml: SalesforceDml,
    private readonly sessions: SalesforceSessions,
    private readonly store: SalesforceStore,
    private readonly faults: FaultInjector,
    private readonly usage: ApiUsage,
  ) {}

  @Get('limits')
  @CrmEndpoint('salesforce.limits')
  limits(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const org = orgOf(req, this.sessions, this.store);
    const max = this.faults.dailyLimit('salesforce', org.org.orgId);
    const used = this.usage.salesforce(org.org.orgId).daily.count(24 * 60 * 60 * 1000, Date.now());
    sendJson(res, 200, { DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) } });
  }

  @Get('sobjects/:type/describe')
  @CrmEndpoint('salesforce.sobject.describe')
  describe(@Req() req: SandboxRequest, @Res() res: ServerResponse, @Param('type') type: string): void {
    orgOf(req, this.sessions, this.store);
    const schema = schemaOf(this.dml, type);
    sendJson(res, 200, {
      name: schema.name,
      label: schema.label,
      keyPrefix: schema.keyPrefix,
      createable: true,
      updateable: true,
      fields: schema.fields.map(describeField),
    });
  }

  @Post('sobjects/:type')
  @CrmEndpoint('salesforce.sobject.create')
  create(@Req() req: SandboxRequest, @Res() res: ServerResponse, @Param('type') type: string): void {
    const org = orgOf(req, this.sessions, this.store);
    sandboxContext(req).records = 1;
    const answer = createRow(this.dml, org, type, req.body, saveOptionsOf(req));
    sendJson(res, answer.status, answer.body);
  }

  @Get('sobjects/:type/:id')
  @CrmEndpoint('salesforce.sobject.get')
  get(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('type') type: string,
    @Param('id') id: string,
  ): void {
    const org = orgOf(req, this.sessions, this.store);
    const schema = schemaOf(this.dml, type);
    const record = org.get(normalizeId(id) ?? '', schema.name);
    if (!record) throw resourceNotFound();
    sendJson(res, 200, recordView(schema, record, org, req.params['version'] ?? ''));
  }

  @Get('sobjects/:type/:field/:value')
  @CrmEndpoint('salesforce.sobject.get-by-external-id')
  getByExternalId(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('type') type: string,
    @Param('field') fieldName: string,
    @Param('value') value: string,
  ): void {
    const org = orgOf(req, this.sessions, this.store);
    const schema = schemaOf(this.dml, type);
    const record = org.findByExternalId(externalIdFieldOf(schema, fieldName).name, value);
    if (!record) throw resourceNotFound();
    sendJson(res, 200, recordView(schema, record, org, req.params['version'] ?? ''));
  }

  /** Upsert by external id: 201 created / 200 updated (`created` from API 46.0; 204 on update before). */
  @Patch('sobjects/:type/:field/:value')
  @CrmEndpoint('salesforce.sobject.upsert')
  upsert(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('type') type: string,
    @Param('field') field: string,
    @Param('value') value: string,
  ): void {
    const org = orgOf(req, this.sessions, this.store);
    sandboxContext(req).records = 1;
    const answer = upsertRow(
      this.dml,
      org,
      {
        type,
        field,
        value,
        body: req.body,
        version: req.params['version'] ?? '',
        updateOnly: queryString(req, 'updateOnly') === 'true',
      },
      saveOptionsOf(req),
    );
    if (answer.status === 204) sendNoContent(res);
    else sendJson(res, answer.status, answer.body);
  }
}

function describeField(field: FieldDef) {
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    length: field.length ?? 0,
    nillable: !field.required && field.type !== 'boolean' && field.name !== 'Id',
    createable: field.createable,
    updateable: field.updateable,
    externalId: field.externalId ?? false,
    unique: field.externalId ?? false,
    caseSensitive: false,
    idLookup: field.externalId === true || field.name === 'Id',
    defaultedOnCreate: field.defaultValue !== undefined || field.name === 'OwnerId',
    defaultValue: field.defaultValue ?? null,
    restrictedPicklist: field.restricted ?? false,
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: value === field.defaultValue,
      label: value,
      value,
    })),
    referenceTo: field.referenceTo ?? [],
  };
}
