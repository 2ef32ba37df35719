/** A field that makes a lead unacceptable; `pointer` is an RFC 6901 JSON pointer into the body. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/**
 * A field that lenient mode did not take as sent: `coerced` to the spec's type without loss, `dropped`
 * (set aside; the raw payload keeps it), or `ignored` because the spec does not define it.
 */
export interface FieldWarning {
  pointer: string;
  detail: string;
  action: 'coerced' | 'dropped' | 'ignored';
}

export function jsonPointer(parent: string, key: string): string {
  return `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
