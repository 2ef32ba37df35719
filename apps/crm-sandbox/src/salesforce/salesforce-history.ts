import { BadRequestException } from '@nestjs/common';
import { inquiryTime, leadMarkerLine, SEEDED_SUBJECT, type SeedResult } from '../seed/seeded-history';
import type { SeedHistoryDto, SeedPersonDto } from '../seed/seed-history.dto';
import type { SalesforceDml } from './salesforce-dml.service';
import type { OrgData, StoredRecord } from './salesforce-store.service';

/**
 * Seeds an org: per person a Lead (per-person key in `keyField`; an existing one is kept) with one Task per
 * earlier lead, whose Description is the lead's marker line.
 */
export function seedSalesforceHistory(
  dml: SalesforceDml,
  org: OrgData,
  { accountId, keyField, people }: SeedHistoryDto,
  now: number,
): SeedResult {
  const field = dml.schema('Lead').field(keyField);
  if (!field?.externalId) {
    throw new BadRequestException([`keyField: ${keyField} is not an External ID field of Lead`]);
  }
  const unkeyed = people.findIndex((person) => person.key === undefined);
  if (unkeyed >= 0) throw new BadRequestException([`people.${unkeyed}.key: required for Salesforce`]);
  let activities = 0;
  for (const person of people) {
    const key = person.key as string;
    const lead = org.findByExternalId(field.name, key) ?? newLead(dml, org, field.name, key, person);
    person.leadIds.forEach((leadId, index) => {
      const at = inquiryTime(now, index, person.leadIds.length);
      dml.insertTrusted(org, 'Task', {
        WhoId: lead.Id,
        Subject: SEEDED_SUBJECT,
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

function newLead(
  dml: SalesforceDml,
  org: OrgData,
  keyField: string,
  key: string,
  person: SeedPersonDto,
): StoredRecord {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  return dml.insertTrusted(org, 'Lead', {
    [keyField]: key,
    ...(person.firstName ? { FirstName: person.firstName } : {}),
    LastName: person.lastName ?? person.firstName ?? 'Unknown',
    Email: person.email.toLowerCase(),
    Company: name ? `${name} (Realtor.com consumer)` : 'Realtor.com consumer',
    LeadSource: 'Web',
  });
}
