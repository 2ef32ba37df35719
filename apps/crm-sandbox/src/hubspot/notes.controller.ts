import { Controller, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { HubspotApiGuard } from './hubspot-api.guard';
import { HubspotCrm, noteView } from './hubspot-crm.service';
import { portalOf } from './hubspot-request';
import { HubspotStore } from './hubspot-store.service';
import { objectNotFound } from './hubspot.error';

/** Notes (the lead's message) and their association to contacts. */
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
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (Array.isArray(inputs)) sandboxContext(req).records = inputs.length;
    const { status, body } = this.crm.batchCreateNotes(portalOf(req, this.store), req.body);
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
