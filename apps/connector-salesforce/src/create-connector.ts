import type { ConnectorLogger } from '@lead-delivery/connector-kit';
import type { SalesforceAppConfig } from './app.config';
import { SalesforceClient } from './salesforce-api/salesforce-api.client';
import { SalesforceConnector } from './salesforce.connector';

/** The connector with its real client; main.ts runs it, integration tests start it with createConnectorApp. */
export function createSalesforceConnector(
  config: SalesforceAppConfig,
  logger: ConnectorLogger,
): SalesforceConnector {
  const { salesforce, accounts } = config;
  logger.info(
    { accounts: accounts.configured.length, defaultRecordMode: salesforce.SALESFORCE_RECORD_MODE },
    'salesforce accounts loaded',
  );
  return new SalesforceConnector(
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
    { compositeWrites: salesforce.SALESFORCE_COMPOSITE_WRITES },
  );
}
