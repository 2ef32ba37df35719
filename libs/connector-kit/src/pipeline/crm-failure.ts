import { ConnectorError } from '../connector/connector.error';
import type { CrmConnector } from '../connector/crm-connector';

/** What a CRM failure means, as the connector classifies it; a classifier that throws makes it transient. */
export function classifyCrmFailure(
  connector: Pick<CrmConnector<unknown>, 'classify'>,
  error: unknown,
): ConnectorError {
  if (error instanceof ConnectorError) return error;
  try {
    return connector.classify(error);
  } catch (classifyError) {
    return new ConnectorError('transient', `unclassified failure: ${(classifyError as Error).message}`, {
      cause: error,
    });
  }
}
