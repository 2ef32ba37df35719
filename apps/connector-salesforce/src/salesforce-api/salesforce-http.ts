import {
  CrmHttpError,
  crmHttpExchange,
  type CrmHttpAnswer,
  type CrmHttpRequest,
} from '@lead-delivery/connector-kit';
import { SalesforceNetworkError } from './salesforce-api.error';

export type HttpAnswer = CrmHttpAnswer;

/**
 * One HTTP exchange with Salesforce (the kit's, over node:http), body read, bounded by `timeoutMs` and by
 * `signal` (the app's shutdown); a call that gets no answer becomes a SalesforceNetworkError saying why.
 */
export async function exchange(
  url: string,
  request: CrmHttpRequest,
  bounds: { timeoutMs: number; signal: AbortSignal },
): Promise<HttpAnswer> {
  try {
    return await crmHttpExchange(url, request, bounds);
  } catch (error) {
    if (error instanceof CrmHttpError) throw new SalesforceNetworkError(error.reason, error.message);
    throw error;
  }
}
