import type { HubspotConfig } from './hubspot.config';

export type PropertyType = 'string' | 'number' | 'bool' | 'enumeration' | 'email' | 'datetime';

export interface PropertyDef {
  name: string;
  type: PropertyType;
  options?: string[];
  readOnly?: boolean;
  required?: boolean;
}

export const MAX_PROPERTY_LENGTH = 65_536;

const string = (name: string): PropertyDef => ({ name, type: 'string' });

const LEAD_STATUSES = [
  'NEW',
  'OPEN',
  'IN_PROGRESS',
  'OPEN_DEAL',
  'UNQUALIFIED',
  'ATTEMPTED_TO_CONTACT',
  'CONNECTED',
  'BAD_TIMING',
];
const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
];

/** The properties of an object type in a portal, looked up by their internal name. */
export class PropertySet {
  private readonly byName: Map<string, PropertyDef>;

  constructor(readonly definitions: PropertyDef[]) {
    this.byName = new Map(definitions.map((definition) => [definition.name, definition]));
  }

  get(name: string): PropertyDef | undefined {
    return this.byName.get(name);
  }
}

export function contactProperties(config: HubspotConfig): PropertySet {
  const custom = config.HUBSPOT_CONTACT_CUSTOM_PROPERTIES.map((entry): PropertyDef => {
    const [name = '', type = 'string'] = entry.split(':');
    return { name, type: type as PropertyType };
  });
  return new PropertySet([
    { name: 'email', type: 'email' },
    ...['firstname', 'lastname', 'phone', 'mobilephone', 'address', 'city', 'state', 'zip', 'country'].map(
      string,
    ),
    ...['company', 'website', 'jobtitle', 'message', 'hubspot_owner_id'].map(string),
    { name: 'hs_lead_status', type: 'enumeration', options: LEAD_STATUSES },
    { name: 'lifecyclestage', type: 'enumeration', options: LIFECYCLE_STAGES },
    ...['createdate', 'lastmodifieddate', 'hs_object_id'].map((name): PropertyDef => ({
      ...string(name),
      readOnly: true,
    })),
    ...custom,
  ]);
}

export const NOTE_PROPERTIES = new PropertySet([
  { name: 'hs_timestamp', type: 'datetime', required: true },
  string('hs_note_body'),
  string('hubspot_owner_id'),
  string('hs_attachment_ids'),
  ...['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'].map((name): PropertyDef => ({
    ...string(name),
    readOnly: true,
  })),
]);
