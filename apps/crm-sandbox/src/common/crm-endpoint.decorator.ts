import { Reflector } from '@nestjs/core';

/**
 * A CRM endpoint's name in the request log and the admin API: `<crm>.<what it does>`, e.g.
 * `salesforce.collections.upsert`. Each CRM module names its own (see CrmEndpoints for the list of all).
 */
export type CrmEndpointName = `${string}.${string}`;

/** How an endpoint name is spelt: the CRM's id, then dot-separated lower-case words. */
export const CRM_ENDPOINT_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** Names the CRM endpoint a controller method serves, e.g. `salesforce.collections.upsert`. */
export const CrmEndpoint = Reflector.createDecorator<CrmEndpointName>();
