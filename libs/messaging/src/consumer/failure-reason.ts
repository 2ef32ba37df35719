import { types } from 'node:util';

const QUOTED = /"[^"]*"/g;
const MAX_REASON_LENGTH = 500;

/**
 * The dead-letter reason of an unexpected failure: its kind (name, and code such as a SQLSTATE) and
 * message, with quoted text replaced. PostgreSQL, JSON.parse and V8 quote the offending value in their
 * messages, and a lead's values are personal data; what is left tells an operator what failed.
 */
export function failureReason(error: unknown): string {
  // isNativeError also recognises errors Node raised in another realm (a refused socket under Jest).
  if (!(error instanceof Error || types.isNativeError(error)))
    return `${typeof error}: ${String(error).replace(QUOTED, '"…"')}`;
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === 'string' ? `${error.name} ${code}` : error.name;
  return `${kind}: ${error.message.replace(QUOTED, '"…"')}`.slice(0, MAX_REASON_LENGTH);
}
