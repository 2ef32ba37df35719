import { Reflector } from '@nestjs/core';

/** Every CRM endpoint the sandbox serves, by the name the request log and the admin API use. */
export const CRM_ENDPOINTS = [
  'salesforce.oauth.token',
  'salesforce.collections.upsert',
  'salesforce.collections.create',
  'salesforce.sobject.upsert',
  'salesforce.sobject.create',
  'salesforce.sobject.get',
  'salesforce.sobject.get-by-external-id',
  'salesforce.sobject.describe',
  'salesforce.query',
  'salesforce.query.more',
  'salesforce.limits',
  'hubspot.contacts.batch-upsert',
  'hubspot.contacts.create',
  'hubspot.contacts.get',
  'hubspot.contacts.update',
  'hubspot.notes.create',
  'hubspot.notes.batch-create',
  'hubspot.notes.batch-read',
  'hubspot.associations.default',
  'hubspot.associations.batch-read',
  'hubspot.contacts.gdpr-delete',
  'hubspot.notes.batch-archive',
  'salesforce.collections.delete',
  'salesforce.collections.update',
] as const;
export type CrmEndpointName = (typeof CRM_ENDPOINTS)[number];

/** Names a CRM endpoint for the request log, e.g. `salesforce.collections.upsert`. */
export const CrmEndpoint = Reflector.createDecorator<CrmEndpointName>();
