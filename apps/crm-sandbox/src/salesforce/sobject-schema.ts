import { KEY_PREFIXES } from './salesforce-id';
import type { SalesforceConfig } from './salesforce.config';

export const SOBJECT_TYPES = ['Lead', 'Task', 'Note'] as const;
export type SObjectType = (typeof SOBJECT_TYPES)[number];

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  /** Must hold a value once saved (on create: given or defaulted). */
  required?: boolean;
  createable: boolean;
  updateable: boolean;
  /** External ID + Unique: an upsert key, unique case-insensitively. */
  externalId?: boolean;
  picklistValues?: string[];
  restricted?: boolean;
  defaultValue?: string | boolean;
  referenceTo?: (SObjectType | 'User')[];
}

export interface SObjectSchema {
  name: SObjectType;
  label: string;
  keyPrefix: string;
  fields: FieldDef[];
  /** Field lookup: the API accepts field names in any case. */
  field(name: string): FieldDef | undefined;
}

const text = (name: string, label: string, length: number, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  createable: true,
  updateable: true,
  ...extra,
});
const typed = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label,
  type,
  createable: true,
  updateable: true,
  ...extra,
});
const readOnly = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label,
  type,
  createable: false,
  updateable: false,
  ...extra,
});

const SYSTEM_FIELDS: FieldDef[] = [
  readOnly('Id', 'Record ID', 'id'),
  typed('OwnerId', 'Owner ID', 'reference', { referenceTo: ['User'] }),
  readOnly('CreatedDate', 'Created Date', 'datetime'),
  readOnly('CreatedById', 'Created By ID', 'reference', { referenceTo: ['User'] }),
  readOnly('LastModifiedDate', 'Last Modified Date', 'datetime'),
  readOnly('LastModifiedById', 'Last Modified By ID', 'reference', { referenceTo: ['User'] }),
  readOnly('SystemModstamp', 'System Modstamp', 'datetime'),
];

function leadFields(config: SalesforceConfig): FieldDef[] {
  const custom = config.SALESFORCE_LEAD_CUSTOM_FIELDS.map((entry) => {
    const [name = '', length] = entry.split(':');
    return text(name, labelOf(name), length ? Number(length) : 255);
  });
  return [
    ...SYSTEM_FIELDS,
    typed('Salutation', 'Salutation', 'picklist', {
      length: 40,
      picklistValues: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'],
    }),
    text('FirstName', 'First Name', 40),
    text('MiddleName', 'Middle Name', 40),
    text('LastName', 'Last Name', 80, { required: true }),
    text('Title', 'Title', 128),
    text('Company', 'Company', 255, { required: true }),
    typed('Email', 'Email', 'email', { length: 80 }),
    typed('Phone', 'Phone', 'phone', { length: 40 }),
    typed('MobilePhone', 'Mobile Phone', 'phone', { length: 40 }),
    typed('Street', 'Street', 'textarea', { length: 255 }),
    text('City', 'City', 40),
    text('State', 'State/Province', 80),
    text('PostalCode', 'Zip/Postal Code', 20),
    text('Country', 'Country', 80),
    typed('Website', 'Website', 'url', { length: 255 }),
    typed('LeadSource', 'Lead Source', 'picklist', {
      length: 255,
      picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
    }),
    typed('Status', 'Lead Status', 'picklist', {
      length: 255,
      required: true,
      restricted: true,
      defaultValue: 'Open - Not Contacted',
      picklistValues: [
        'Open - Not Contacted',
        'Working - Contacted',
        'Closed - Converted',
        'Closed - Not Converted',
      ],
    }),
    typed('Rating', 'Rating', 'picklist', { length: 255, picklistValues: ['Hot', 'Warm', 'Cold'] }),
    typed('Industry', 'Industry', 'picklist', {
      length: 255,
      picklistValues: ['Banking', 'Construction', 'Finance', 'Insurance', 'Other'],
    }),
    typed('Description', 'Description', 'textarea', { length: 32_000 }),
    typed('NumberOfEmployees', 'Employees', 'int'),
    typed('AnnualRevenue', 'Annual Revenue', 'currency'),
    typed('HasOptedOutOfEmail', 'Email Opt Out', 'boolean', { defaultValue: false }),
    typed('DoNotCall', 'Do Not Call', 'boolean', { defaultValue: false }),
    readOnly('IsConverted', 'Converted', 'boolean', { defaultValue: false }),
    ...config.SALESFORCE_LEAD_EXTERNAL_ID_FIELDS.map((name) =>
      text(name, labelOf(name), 255, { externalId: true }),
    ),
    ...custom,
  ];
}

const TASK_FIELDS: FieldDef[] = [
  ...SYSTEM_FIELDS,
  typed('WhoId', 'Name ID', 'reference', { referenceTo: ['Lead'] }),
  text('Subject', 'Subject', 255),
  typed('Description', 'Comments', 'textarea', { length: 32_000 }),
  typed('ActivityDate', 'Due Date Only', 'date'),
  typed('Status', 'Status', 'picklist', {
    length: 255,
    required: true,
    restricted: true,
    defaultValue: 'Not Started',
    picklistValues: ['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
  }),
  typed('Priority', 'Priority', 'picklist', {
    length: 255,
    required: true,
    restricted: true,
    defaultValue: 'Normal',
    picklistValues: ['High', 'Normal', 'Low'],
  }),
  typed('Type', 'Type', 'picklist', { length: 255, picklistValues: ['Call', 'Email', 'Meeting', 'Other'] }),
  typed('TaskSubtype', 'Task Subtype', 'picklist', {
    length: 255,
    restricted: true,
    updateable: false,
    defaultValue: 'Task',
    picklistValues: ['Task', 'Email', 'Call'],
  }),
  readOnly('IsClosed', 'Closed', 'boolean', { defaultValue: false }),
];

const NOTE_FIELDS: FieldDef[] = [
  ...SYSTEM_FIELDS,
  typed('ParentId', 'Parent ID', 'reference', { referenceTo: ['Lead'], required: true, updateable: false }),
  text('Title', 'Title', 80, { required: true }),
  typed('Body', 'Body', 'textarea', { length: 32_000 }),
  typed('IsPrivate', 'Private', 'boolean', { defaultValue: false }),
];

function schema(name: SObjectType, label: string, fields: FieldDef[]): SObjectSchema {
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  return {
    name,
    label,
    keyPrefix: KEY_PREFIXES[name],
    fields,
    field: (fieldName) => byName.get(fieldName.toLowerCase()),
  };
}

export type SObjectSchemas = Record<SObjectType, SObjectSchema>;

export function buildSchemas(config: SalesforceConfig): SObjectSchemas {
  return {
    Lead: schema('Lead', 'Lead', leadFields(config)),
    Task: schema('Task', 'Task', TASK_FIELDS),
    Note: schema('Note', 'Note', NOTE_FIELDS),
  };
}

/** `SObjectType` for a name in any case, as the API accepts it. */
export function sobjectTypeOf(name: string): SObjectType | undefined {
  return SOBJECT_TYPES.find((type) => type.toLowerCase() === name.toLowerCase());
}

function labelOf(customField: string): string {
  return customField.replace(/__c$/, '').replace(/_/g, ' ');
}
