import type { Format } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats';
import { ValidateBy, type ValidationOptions } from 'class-validator';

// The spec's `format` keywords, checked with the same definitions ajv-formats uses, so that parseLead in
// strict mode and a JSON-Schema validator of the spec agree on what a valid email, URI or date-time is.
function predicateOf(format: Format): (value: string) => boolean {
  const check = typeof format === 'object' && !(format instanceof RegExp) ? format.validate : format;
  if (check instanceof RegExp) return (value) => check.test(value);
  if (typeof check === 'function') return (value) => Boolean((check as (input: string) => unknown)(value));
  throw new Error('unsupported format definition');
}

export const isSpecEmail = predicateOf(fullFormats.email);
export const isSpecUri = predicateOf(fullFormats.uri);
export const isSpecDateTime = predicateOf(fullFormats['date-time']);

function stringCheck(name: string, test: (value: string) => boolean, requirement: string) {
  return (options?: ValidationOptions) =>
    ValidateBy(
      {
        name,
        validator: {
          // Only strings are judged here; a non-string is reported by @IsString alone.
          validate: (value: unknown) => typeof value !== 'string' || test(value),
          defaultMessage: () => `$property ${requirement}`,
        },
      },
      options,
    );
}

export const IsSpecEmail = stringCheck('isSpecEmail', isSpecEmail, 'must be a valid email address');
export const IsSpecUri = stringCheck('isSpecUri', isSpecUri, 'must be an absolute URI');
export const IsSpecDateTime = stringCheck('isSpecDateTime', isSpecDateTime, 'must be an RFC 3339 date-time');
export const IsNonBlank = stringCheck('isNonBlank', (value) => value.trim().length > 0, 'must not be blank');

/**
 * `lead_id` names the lead in every key downstream (PostgreSQL primary keys, CRM external ids and markers,
 * the Kafka key), so it is bounded: PostgreSQL text refuses NUL, a btree index refuses entries over ~2.7 KB,
 * and Salesforce external-id fields hold 255 characters with the account prefix.
 */
export const MAX_LEAD_ID_LENGTH = 200;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
export const isUsableLeadId = (value: string): boolean =>
  value.length <= MAX_LEAD_ID_LENGTH && !CONTROL_CHARACTER.test(value);
export const IsUsableLeadId = stringCheck(
  'isUsableLeadId',
  isUsableLeadId,
  `must be at most ${MAX_LEAD_ID_LENGTH} characters without control characters`,
);
