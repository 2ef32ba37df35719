import { inquiryTime, leadMarkerLine, SEEDED_SUBJECT, type SeedResult } from '../seed/seeded-history';
import type { SeedHistoryDto, SeedPersonDto } from '../seed/seed-history.dto';
import type { PortalData, StoredContact } from './hubspot-store.service';

/** Seeds a portal: per person a contact (by email; an existing one is kept) with one note per earlier lead. */
export function seedHubspotHistory(
  portal: PortalData,
  { accountId, people }: SeedHistoryDto,
  now: number,
): SeedResult {
  let activities = 0;
  for (const person of people) {
    const contact = portal.findContact('email', person.email) ?? newContact(portal, person, now);
    person.leadIds.forEach((leadId, index) => {
      const at = inquiryTime(now, index, person.leadIds.length);
      const id = portal.nextId();
      portal.notes.set(id, {
        id,
        properties: {
          hs_timestamp: new Date(at).toISOString(),
          hs_note_body: `${SEEDED_SUBJECT}<br>${escapeHtml(leadMarkerLine(accountId, leadId))}`,
        },
        contactIds: [contact.id],
        createdAt: at,
        updatedAt: at,
      });
      activities += 1;
    });
  }
  return { people: people.length, activities };
}

function newContact(portal: PortalData, person: SeedPersonDto, now: number): StoredContact {
  const contact: StoredContact = {
    id: portal.nextId(),
    properties: {
      email: person.email.toLowerCase(),
      ...(person.firstName ? { firstname: person.firstName } : {}),
      ...(person.lastName ? { lastname: person.lastName } : {}),
    },
    createdAt: now,
    updatedAt: now,
    writes: 1,
  };
  portal.putContact(contact);
  return contact;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
