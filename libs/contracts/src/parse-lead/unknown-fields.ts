import type { FieldError } from './field-issues';

const LISTED_POINTERS = 20;
const POINTER_CHARS = 80;

/**
 * One issue for all the fields the lead schema does not define, however many a body carries: a single
 * field keeps its own pointer; several are listed (at most 20, each cut at 80 characters) under the
 * pointer of the whole body, so the issue, and the record that carries it, stays small.
 */
export function unknownFieldsIssue(pointers: readonly string[], note?: string): FieldError {
  if (pointers.length === 1) {
    return {
      pointer: pointers[0] as string,
      detail: `is not a field of the lead schema${note ? `; ${note}` : ''}`,
    };
  }
  const listed = pointers
    .slice(0, LISTED_POINTERS)
    .map((pointer) =>
      pointer.length > POINTER_CHARS ? `${pointer.slice(0, POINTER_CHARS - 3)}...` : pointer,
    );
  const more = pointers.length - listed.length;
  return {
    pointer: '',
    detail:
      `${pointers.length} fields are not in the lead schema${note ? ` (${note})` : ''}: ` +
      `${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
  };
}
