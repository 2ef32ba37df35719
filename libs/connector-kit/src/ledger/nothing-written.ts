const NOTHING_WRITTEN = Symbol('nothing-written');

/**
 * Marks a failure that happened before the call could write anything that is not idempotent (a failed
 * upsert or lookup, or a write the CRM refused outright), and returns it to be thrown: the ledger then
 * lets the retry write the call's new leads without looking them up first.
 */
export function nothingWritten<E>(error: E): E {
  if (typeof error === 'object' && error !== null) {
    Object.defineProperty(error, NOTHING_WRITTEN, { value: true, enumerable: false });
  }
  return error;
}

export function isNothingWritten(error: unknown): boolean {
  return typeof error === 'object' && error !== null && NOTHING_WRITTEN in error;
}
