import { Controller, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { queryString, sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { HubspotApiGuard } from './hubspot-api.guard';
import { HubspotCrm, noteView } from './hubspot-crm.service';
import { portalOf } from './hubspot-request';
import { HubspotStore } from './hubspot-store.service';
import { objectNotFound } from './hubspot.error';

/** Notes (the lead's message), and their associations to contacts: created with the note or after it, read in batches. */
@Controller('crm')
@UseGuards(HubspotApiGuard)
export class NotesController {
  constructor(
    private readonly crm: HubspotCrm,
    private readonly store: HubspotStore,
  ) {}

  @Post('v3/objects/notes')
  @CrmEndpoint('hubspot.notes.create')
  create(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    sandboxContext(req).records = 1;
    sendJson(res, 201, noteView(this.crm.createNote(portalOf(req, this.store), req.body)));
  }

  @Post('v3/objects/notes/batch/create')
  @CrmEndpoint('hubspot.notes.batch-create')
  batchCreate(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    countInputs(req);
    const { status, body } = this.crm.batchCreateNotes(portalOf(req, this.store), req.body);
    sendJson(res, status, body);
  }

  @Post('v3/objects/notes/batch/read')
  @CrmEndpoint('hubspot.notes.batch-read')
  batchRead(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    countInputs(req);
    const archived = queryString(req, 'archived') === 'true';
    const { status, body } = this.crm.batchReadNotes(portalOf(req, this.store), req.body, archived);
    sendJson(res, status, body);
  }

  @Post('v4/associations/:fromObjectType/:toObjectType/batch/read')
  @CrmEndpoint('hubspot.associations.batch-read')
  batchReadAssociations(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('fromObjectType') fromObjectType: string,
    @Param('toObjectType') toObjectType: string,
  ): void {
    countInputs(req);
    const portal = portalOf(req, this.store);
    const { status, body } = this.crm.batchReadAssociations(portal, fromObjectType, toObjectType, req.body);
    sendJson(res, status, body);
  }

  @Put('v4/objects/:fromType/:noteId/associations/default/:toType/:contactId')
  @CrmEndpoint('hubspot.associations.default')
  associate(
    @Req() req: SandboxRequest,
    @Res() res: ServerResponse,
    @Param('fromType') fromType: string,
    @Param('noteId') noteId: string,
    @Param('toType') toType: string,
    @Param('contactId') contactId: string,
  ): void {
    if (!['note', 'notes'].includes(fromType) || !['contact', 'contacts'].includes(toType))
      throw objectNotFound();
    sendJson(res, 200, this.crm.associateNote(portalOf(req, this.store), noteId, contactId));
  }
}

function countInputs(req: SandboxRequest): void {
  const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
  if (Array.isArray(inputs)) sandboxContext(req).records = inputs.length;
}
