import { LEAD_ROLES } from '../inbound/lead.types';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

/**
 * The lossless conversion lenient mode tries for a value that failed `constraint`, or `undefined` when
 * there is none. The caller validates the result again, so a conversion here is only a proposal.
 */
export function proposeCoercion(constraint: string, value: unknown): { value: unknown } | undefined {
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (constraint) {
    case 'isString':
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean'
        ? { value: String(value) }
        : undefined;
    case 'isNumber':
      return text !== undefined && DECIMAL.test(text) ? { value: Number(text) } : undefined;
    case 'isInt':
      return text !== undefined && INTEGER.test(text) && Number.isSafeInteger(Number(text))
        ? { value: Number(text) }
        : undefined;
    case 'isBoolean':
      return text === undefined ? undefined : booleanFrom(text.toLowerCase());
    case 'isIn':
      return text !== undefined && (LEAD_ROLES as readonly string[]).includes(text.toLowerCase())
        ? { value: text.toLowerCase() }
        : undefined;
    case 'isSpecEmail':
    case 'isSpecUri':
      return text !== undefined && text !== value ? { value: text } : undefined;
    case 'isSpecDateTime':
      return text === undefined ? undefined : dateTimeFrom(text);
    default:
      return undefined;
  }
}

function booleanFrom(text: string): { value: boolean } | undefined {
  if (text === 'true') return { value: true };
  if (text === 'false') return { value: false };
  return undefined;
}

function dateTimeFrom(text: string): { value: string } | undefined {
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : { value: new Date(millis).toISOString() };
}
