import { BadRequestException, Injectable } from '@nestjs/common';
import type { PortalData, StoredContact } from '../hubspot/hubspot-store.service';
import { SalesforceDml } from '../salesforce/salesforce-dml.service';
import type { OrgData, StoredRecord } from '../salesforce/salesforce-store.service';
import type { SeedHistoryDto, SeedPersonDto } from './seed-history.dto';

const DAY_MS = 24 * 60 * 60 * 1000;
const SUBJECT = 'Realtor.com inquiry (earlier history)';

export interface SeedResult {
  people: number;
  activities: number;
}

/**
 * The marker line the platform ends every activity with (libs/connector-kit/src/mapping/lead-marker.ts,
 * which the sandbox may not import): seeded activities must look like the connectors' own.
 */
export const leadMarkerLine = (accountId: string, leadId: string) =>
  `Realtor.com lead id: ${leadId} (account ${accountId})`;

/**
 * Writes people who already have a long history straight into a tenant's records, without the API's checks
 * and without counting toward its limits: a HubSpot contact with one note per earlier lead, or a Salesforce
 * Lead (per-person key) with one Task per earlier lead. Inquiry j of K is dated K − j days ago.
 */
@Injectable()
export class HistorySeeder {
  constructor(private readonly dml: SalesforceDml) {}

  hubspot(portal: PortalData, { accountId, people }: SeedHistoryDto, now: number): SeedResult {
    let activities = 0;
    for (const person of people) {
      const contact = portal.findContact('email', person.email) ?? this.newContact(portal, person, now);
      person.leadIds.forEach((leadId, index) => {
        const at = inquiryTime(now, index, person.leadIds.length);
        const id = portal.nextId();
        portal.notes.set(id, {
          id,
          properties: {
            hs_timestamp: new Date(at).toISOString(),
            hs_note_body: `${SUBJECT}<br>${escapeHtml(leadMarkerLine(accountId, leadId))}`,
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

  salesforce(org: OrgData, { accountId, keyField, people }: SeedHistoryDto, now: number): SeedResult {
    const field = this.dml.schema('Lead').field(keyField);
    if (!field?.externalId) {
      throw new BadRequestException([`keyField: ${keyField} is not an External ID field of Lead`]);
    }
    const unkeyed = people.findIndex((person) => person.key === undefined);
    if (unkeyed >= 0) throw new BadRequestException([`people.${unkeyed}.key: required for Salesforce`]);
    let activities = 0;
    for (const person of people) {
      const key = person.key as string;
      const lead = org.findByExternalId(field.name, key) ?? this.newLead(org, field.name, key, person);
      person.leadIds.forEach((leadId, index) => {
        const at = inquiryTime(now, index, person.leadIds.length);
        this.dml.insertTrusted(org, 'Task', {
          WhoId: lead.Id,
          Subject: SUBJECT,
          Description: leadMarkerLine(accountId, leadId),
          ActivityDate: new Date(at).toISOString().slice(0, 10),
          Status: 'Not Started',
          Priority: 'Normal',
        });
        activities += 1;
      });
    }
    return { people: people.length, activities };
  }

  private newContact(portal: PortalData, person: SeedPersonDto, now: number): StoredContact {
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

  private newLead(org: OrgData, keyField: string, key: string, person: SeedPersonDto): StoredRecord {
    const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
    return this.dml.insertTrusted(org, 'Lead', {
      [keyField]: key,
      ...(person.firstName ? { FirstName: person.firstName } : {}),
      LastName: person.lastName ?? person.firstName ?? 'Unknown',
      Email: person.email.toLowerCase(),
      Company: name ? `${name} (Realtor.com consumer)` : 'Realtor.com consumer',
      LeadSource: 'Web',
    });
  }
}

const inquiryTime = (now: number, index: number, count: number) => now - (count - index) * DAY_MS;

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
