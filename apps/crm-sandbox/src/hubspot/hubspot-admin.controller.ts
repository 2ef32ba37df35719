import { Controller, Get } from '@nestjs/common';
import { LEAD_COPIES_ROUTE, leadCopiesOf, markedLeadCopy, type LeadCopy } from '../common/lead-copies';
import { HubspotStore } from './hubspot-store.service';

/** Where a note body breaks its lines (the connector writes `<br>`). */
const NOTE_LINE_BREAK = /<br\s*\/?>/;

/** Admin API for tests: the lead copies of every portal. */
@Controller('sandbox/hubspot')
export class HubspotAdminController {
  constructor(private readonly store: HubspotStore) {}

  /**
   * Each note whose body has a marker line naming the account's lead (one contact per person, a note per
   * inquiry). The body is HTML: a lead id with characters HTML escapes would read escaped.
   */
  @Get(LEAD_COPIES_ROUTE)
  leadCopies(): LeadCopy[] {
    return this.store
      .all()
      .flatMap((portal) =>
        leadCopiesOf(portal.notes.values(), (note) =>
          markedLeadCopy(note.properties['hs_note_body'], NOTE_LINE_BREAK),
        ),
      );
  }
}
