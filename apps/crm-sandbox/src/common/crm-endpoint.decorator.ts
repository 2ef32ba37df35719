import { Reflector } from '@nestjs/core';

/** Names a CRM endpoint for the request log, e.g. `salesforce.collections.upsert`. */
export const CrmEndpoint = Reflector.createDecorator<string>();
