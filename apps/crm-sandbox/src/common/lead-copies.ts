/**
 * One copy of an account's lead that a fake CRM holds (a Salesforce Lead or Task, a HubSpot note, a Follow
 * Up Boss event, ...): what `GET /sandbox/<crm>/lead-copies` lists, one entry per copy, and what the e2e
 * reconciliation counts per registry connector.
 */
export interface LeadCopy {
  accountId: string;
  leadId: string;
}

/** The route, under each CRM's `sandbox/<crm>` admin path, that lists the CRM's lead copies. */
export const LEAD_COPIES_ROUTE = 'lead-copies';

/**
 * The marker line the connectors end every activity with (libs/connector-kit's leadMarker, which the
 * sandbox may not import): `Realtor.com lead id: <lead id> (account <account id>)`.
 */
const MARKER = /^Realtor\.com lead id: (.+) \(account ([a-z0-9._-]+)\)$/;
/** A per-lead upsert key: `<account id>:<lead id>`. */
const EXTERNAL_ID = /^([a-z0-9._-]+):(.+)$/;

/** The lead a text names by a marker line of its own (lines split at `lineBreak`); undefined if none does. */
export function markedLeadCopy(text: unknown, lineBreak: string | RegExp = '\n'): LeadCopy | undefined {
  if (typeof text !== 'string') return undefined;
  for (const line of text.split(lineBreak)) {
    const match = MARKER.exec(line.trim());
    if (match) return { accountId: match[2] as string, leadId: match[1] as string };
  }
  return undefined;
}

/** The lead a per-lead upsert key `<account id>:<lead id>` names; undefined for any other value. */
export function externalIdLeadCopy(value: unknown): LeadCopy | undefined {
  const match = typeof value === 'string' ? EXTERNAL_ID.exec(value) : null;
  return match ? { accountId: match[1] as string, leadId: match[2] as string } : undefined;
}

/** The copies the records name, one per record that names a lead (the others are not copies of a lead). */
export function leadCopiesOf<T>(
  records: Iterable<T>,
  copyOf: (record: T) => LeadCopy | undefined,
): LeadCopy[] {
  const copies: LeadCopy[] = [];
  for (const record of records) {
    const copy = copyOf(record);
    if (copy) copies.push(copy);
  }
  return copies;
}
