import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import {
  HubspotStore,
  type PortalData,
  type StoredContact,
  type StoredNote,
} from '../hubspot/hubspot-store.service';
import { contactView, noteView } from '../hubspot/hubspot-crm.service';
import { salesforceDateTime } from '../salesforce/record-view';
import { SalesforceDml } from '../salesforce/salesforce-dml.service';
import { normalizeId } from '../salesforce/salesforce-id';
import { SalesforceStore, type OrgData, type StoredRecord } from '../salesforce/salesforce-store.service';
import type { SObjectType } from '../salesforce/sobject-schema';

const COLLECTIONS: Record<string, SObjectType> = { leads: 'Lead', tasks: 'Task', notes: 'Note' };

/**
 * The records in the fake CRMs, for assertions: Salesforce records filtered by any field
 * (`?Realtor_Lead_Id__c=…`), HubSpot contacts by any property (`?email=…`), each with its notes / tasks.
 * `?org=` / `?portal=` pick the tenant (default: the first configured); `?limit=` caps the list.
 */
@Controller('sandbox')
export class RecordsController {
  constructor(
    private readonly salesforce: SalesforceStore,
    private readonly dml: SalesforceDml,
    private readonly hubspot: HubspotStore,
  ) {}

  @Get('salesforce/:collection')
  salesforceRecords(@Param('collection') collection: string, @Query() query: Record<string, string>) {
    const type = COLLECTIONS[collection];
    if (!type)
      throw new NotFoundException(
        `unknown collection "${collection}"; known: ${Object.keys(COLLECTIONS).join(', ')}`,
      );
    const org = this.org(query['org']);
    const schema = this.dml.schema(type);
    const filters = Object.entries(query)
      .filter(([name]) => name !== 'org' && name !== 'limit')
      .map(([name, value]) => {
        const field = schema.field(name);
        if (!field) throw new BadRequestException([`${name}: ${type} has no such field`]);
        return [field.name, value.toLowerCase()] as const;
      });
    const matching = org
      .ofType(type)
      .filter((record) =>
        filters.every(
          ([name, value]) =>
            String((name === 'Id' ? record.Id : record.fields[name]) ?? '').toLowerCase() === value,
        ),
      );
    const activities = activitiesOf(org);
    return {
      count: matching.length,
      records: matching.slice(0, limitOf(query)).map((record) => this.salesforceView(record, activities)),
    };
  }

  @Get('salesforce/:collection/:id')
  salesforceRecord(
    @Param('collection') collection: string,
    @Param('id') id: string,
    @Query('org') orgId?: string,
  ) {
    const type = COLLECTIONS[collection];
    const org = this.org(orgId);
    const record = type ? org.get(normalizeId(id) ?? '', type) : undefined;
    if (!record) throw new NotFoundException(`no ${collection} record ${id} in org ${org.org.orgId}`);
    return this.salesforceView(record, activitiesOf(org));
  }

  @Get('hubspot/contacts')
  contacts(@Query() query: Record<string, string>) {
    const portal = this.portal(query['portal']);
    const filters = Object.entries(query).filter(([name]) => name !== 'portal' && name !== 'limit');
    const matching = [...portal.contacts.values()].filter((contact) =>
      filters.every(
        ([name, value]) =>
          (name === 'id' ? contact.id : (contact.properties[name] ?? '')).toLowerCase() ===
          value.toLowerCase(),
      ),
    );
    const notes = notesByContact(portal);
    return {
      count: matching.length,
      records: matching.slice(0, limitOf(query)).map((contact) => this.contactView(contact, notes)),
    };
  }

  @Get('hubspot/contacts/:id')
  contact(@Param('id') id: string, @Query('portal') portalId?: string) {
    const portal = this.portal(portalId);
    const contact = portal.contacts.get(id);
    if (!contact) throw new NotFoundException(`no contact ${id} in portal ${portal.portal.portalId}`);
    return this.contactView(contact, notesByContact(portal));
  }

  @Get('hubspot/notes')
  notes(@Query() query: Record<string, string>) {
    const portal = this.portal(query['portal']);
    const contactId = query['contactId'];
    const matching = [...portal.notes.values()].filter(
      (note) => contactId === undefined || note.contactIds.includes(contactId),
    );
    return {
      count: matching.length,
      records: matching
        .slice(0, limitOf(query))
        .map((note) => ({ ...noteView(note), contactIds: note.contactIds })),
    };
  }

  private salesforceView(record: StoredRecord, activities: Activities): Record<string, unknown> {
    const view = (other: StoredRecord) => this.salesforceView(other, activities);
    return {
      Id: record.Id,
      ...record.fields,
      CreatedDate: salesforceDateTime(record.createdAt),
      LastModifiedDate: salesforceDateTime(record.updatedAt),
      writes: record.writes,
      ...(record.type === 'Lead'
        ? {
            tasks: (activities.tasks.get(record.Id) ?? []).map(view),
            notes: (activities.notes.get(record.Id) ?? []).map(view),
          }
        : {}),
    };
  }

  private contactView(contact: StoredContact, notes: Map<string, StoredNote[]>) {
    return {
      ...contactView(contact),
      writes: contact.writes,
      notes: (notes.get(contact.id) ?? []).map(noteView),
    };
  }

  private org(orgId: string | undefined): OrgData {
    const org = orgId ? this.salesforce.org(normalizeId(orgId) ?? orgId) : this.salesforce.all()[0];
    if (!org) throw new NotFoundException(`no Salesforce org ${orgId}`);
    return org;
  }

  private portal(portalId: string | undefined): PortalData {
    const portal = portalId ? this.hubspot.portal(portalId) : this.hubspot.all()[0];
    if (!portal) throw new NotFoundException(`no HubSpot portal ${portalId}`);
    return portal;
  }
}

function notesByContact(portal: PortalData): Map<string, StoredNote[]> {
  const byContact = new Map<string, StoredNote[]>();
  for (const note of portal.notes.values()) {
    for (const contactId of note.contactIds) {
      const notes = byContact.get(contactId);
      if (notes) notes.push(note);
      else byContact.set(contactId, [note]);
    }
  }
  return byContact;
}

/** Tasks by WhoId and Notes by ParentId, indexed once per request. */
interface Activities {
  tasks: Map<unknown, StoredRecord[]>;
  notes: Map<unknown, StoredRecord[]>;
}

function activitiesOf(org: OrgData): Activities {
  const index = (type: SObjectType, field: string) => {
    const byParent = new Map<unknown, StoredRecord[]>();
    for (const record of org.ofType(type)) {
      const siblings = byParent.get(record.fields[field]);
      if (siblings) siblings.push(record);
      else byParent.set(record.fields[field], [record]);
    }
    return byParent;
  };
  return { tasks: index('Task', 'WhoId'), notes: index('Note', 'ParentId') };
}

function limitOf(query: Record<string, string>): number {
  const limit = query['limit'];
  if (limit === undefined) return 1_000;
  if (!/^\d+$/.test(limit))
    throw new BadRequestException([`limit: must be a non-negative integer, got "${limit}"`]);
  return Number(limit);
}
