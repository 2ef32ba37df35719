import type { ConnectorLogger } from '@lead-delivery/connector-kit';
import type { SalesforceAppConfig } from '../app.config';
import { SalesforceClient } from '../salesforce-api/salesforce-api.client';
import { SalesforceEraser } from './salesforce.eraser';

/** The eraser with its real client; main.ts runs it beside the connector. */
export function createSalesforceEraser(
  config: SalesforceAppConfig,
  logger: ConnectorLogger,
): SalesforceEraser {
  const { salesforce, accounts } = config;
  return new SalesforceEraser(
    accounts,
    new SalesforceClient({
      apiVersion: salesforce.SALESFORCE_API_VERSION,
      timeoutMs: salesforce.SALESFORCE_REQUEST_TIMEOUT_MS,
      logger,
    }),
    {
      leadId: salesforce.SALESFORCE_LEAD_EXTERNAL_ID_FIELD,
      personKey: salesforce.SALESFORCE_PERSON_EXTERNAL_ID_FIELD,
    },
  );
}
