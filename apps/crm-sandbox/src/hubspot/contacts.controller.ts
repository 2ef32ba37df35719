import { Controller, Get, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { queryString, sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { HubspotApiGuard } from './hubspot-api.guard';
import { HubspotCrm, contactView } from './hubspot-crm.service';
import { portalOf } from './hubspot-request';
import { HubspotStore } from './hubspot-store.service';

/** CRM v3 contacts: batch upsert, create, read and update (by id or `?idProperty=email`). */
@Controller('crm/v3/objects/contacts')
@UseGuards(HubspotApiGuard)
export class ContactsController {
  constructor(
    private readonly crm: HubspotCrm,
    private readonly store: HubspotStore,
  ) {}

  @Post('batch/upsert')
  @CrmEndpoint('hubspot.contacts.batch-upsert')
  batchUpsert(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const portal = portalOf(req, this.store);
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (Array.isArray(inputs)) sandboxContext(req).records = inputs.length;
    const { status, body } = this.crm.batchUpsertContacts(portal, req.body);
    sendJson(res, status, body);
  }

  @Post()
  @CrmEndpoint('hubspot.contacts.create')
  create(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    sandboxContext(req).records = 1;
    sendJson(res, 201, contactView(this.crm.createContact(portalOf(req, this.store), req.body)));
  }

  @Get(':contactId')
  @CrmEndpoint('hubspot.contacts.get')
  get(@Req() req: SandboxRequest, @Res() res: ServerResponse, @Param('contactId') contactId: string): void {
    const contact = this.crm.findContact(
      portalOf(req, this.store),
      contactId,
      queryString(req, 'idProperty'),
    );
    const properties = (queryString(req, 'properties') ?? '').split(',').filter((name) => name !== '');
    sendJson(res, 200, this.crm.readView(contact, properties));
  }

  @Patch(':contactId')
  @CrmEndpoint('hubspot.contacts.update')
  update(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('contactId') contactId: string,
  ): void {
    sandboxContext(req).records = 1;
    const contact = this.crm.updateContact(
      portalOf(req, this.store),
      contactId,
      queryString(req, 'idProperty'),
      req.body,
    );
    sendJson(res, 200, contactView(contact));
  }
}
