import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { sandboxContext, type SandboxRequest } from '../common/sandbox-request';
import { HubspotApiGuard } from './hubspot-api.guard';
import { portalOf } from './hubspot-request';
import { HubspotStore, type PortalData } from './hubspot-store.service';
import { objectNotFound, validationError } from './hubspot.error';

/**
 * What an erasure calls: the GDPR delete of a contact (`POST /crm/v3/objects/contacts/gdpr-delete`,
 * `{ objectId, idProperty? }`, 204; it also removes the notes associated with the contact alone and the
 * contact's associations) and the notes batch archive (`POST /crm/v3/objects/notes/batch/archive`,
 * `{ inputs: [{ id }] }`, 204, ids that name no note ignored).
 */
@Controller('crm/v3/objects')
@UseGuards(HubspotApiGuard)
export class HubspotErasureController {
  constructor(private readonly store: HubspotStore) {}

  @Post('contacts/gdpr-delete')
  @CrmEndpoint('hubspot.contacts.gdpr-delete')
  gdprDelete(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const portal = portalOf(req, this.store);
    const { objectId, idProperty } = (req.body ?? {}) as { objectId?: unknown; idProperty?: unknown };
    if (typeof objectId !== 'string' || objectId === '') {
      throw validationError('Invalid input JSON: objectId is required');
    }
    if (idProperty !== undefined && typeof idProperty !== 'string') {
      throw validationError('Invalid input JSON: idProperty must be a string');
    }
    sandboxContext(req).records = 1;
    const contact =
      idProperty === undefined || idProperty === 'hs_object_id'
        ? portal.contacts.get(objectId)
        : portal.findContact(idProperty, objectId);
    // By email, HubSpot blocklists an address it does not know and answers 204; by id, it knows no such contact.
    if (!contact && (idProperty === undefined || idProperty === 'hs_object_id')) throw objectNotFound();
    if (contact) gdprDelete(portal, contact.id);
    noContent(res);
  }

  @Post('notes/batch/archive')
  @CrmEndpoint('hubspot.notes.batch-archive')
  archiveNotes(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const portal = portalOf(req, this.store);
    const inputs = (req.body as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(inputs) || inputs.length > 100) {
      throw validationError('Invalid input JSON: inputs must be a list of at most 100 { id }');
    }
    const ids = inputs.map((input: unknown) => (input as { id?: unknown } | null)?.id);
    if (!ids.every((id): id is string => typeof id === 'string')) {
      throw validationError('Invalid input JSON: every input needs an id');
    }
    sandboxContext(req).records = ids.length;
    for (const id of ids) portal.notes.delete(id);
    noContent(res);
  }
}

/** Removes the contact, the notes associated with it alone, and its other notes' associations to it. */
export function gdprDelete(portal: PortalData, contactId: string): void {
  for (const [noteId, note] of portal.notes) {
    if (!note.contactIds.includes(contactId)) continue;
    const others = note.contactIds.filter((id) => id !== contactId);
    if (others.length === 0) portal.notes.delete(noteId);
    else portal.notes.set(noteId, { ...note, contactIds: others, updatedAt: Date.now() });
  }
  portal.removeContact(contactId);
}

function noContent(res: ServerResponse): void {
  res.statusCode = 204;
  res.end();
}
