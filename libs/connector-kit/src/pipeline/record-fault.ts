import { classifyFailure, failureReason } from '@lead-delivery/messaging';
import { types } from 'node:util';

// What JavaScript throws when code meets data it did not expect (a missing field, a value of the wrong
// type, a string that is not JSON, runaway recursion): CRM clients wrap their HTTP and network failures
// in errors of their own.
const CODE_ERRORS = new Set(['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']);

/**
 * A CRM call that failed in our own code on the data of one of its records (while mapping it, building
 * the request, or reading the answer about it), not in the CRM: retrying the call as it is fails again,
 * so the scheduler isolates the record that causes it. `reason` is the dead-letter reason.
 */
export class RecordFault extends Error {
  constructor(
    readonly reason: string,
    cause: unknown,
  ) {
    super(`the call failed on a record of its own: ${reason}`, { cause });
    this.name = 'RecordFault';
  }
}

/**
 * The RecordFault that `error`, thrown by a connector's `deliver`, stands for; undefined when it is a CRM
 * failure for the connector to classify. Checked before the connector's classifier, which would take an
 * unknown error for a transient one. A code error caused by a network failure (fetch's `TypeError: fetch
 * failed` wrapping ECONNRESET) is an outage: messaging's `classifyFailure` reads the causes.
 */
export function recordFaultOf(error: unknown): RecordFault | undefined {
  if (!(error instanceof Error || types.isNativeError(error))) return undefined;
  if (!CODE_ERRORS.has(error.name) || classifyFailure(error) !== 'record') return undefined;
  return new RecordFault(failureReason(error), error);
}
