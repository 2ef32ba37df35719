import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ENHANCED_ONLY_LEAD_FIELDS, ENHANCED_ONLY_PROPERTY_FIELDS } from '../inbound/enhanced-only-fields';
import { EnhancedLeadDto, NESTED_LEAD_OBJECTS } from '../inbound/lead.dto';
import type { EnhancedLead, LeadKind, StandardLead } from '../inbound/lead.types';
import { isSpecDateTime } from '../inbound/spec-formats';
import { jsonPointer, type FieldError, type FieldWarning } from './field-issues';
import { exactSpecLead } from './exact-spec-lead';
import { declaredProperties, requiredProperties } from './lead-schema-metadata';
import { proposeCoercion } from './lenient-coercion';
import { unknownFieldsIssue } from './unknown-fields';

/**
 * `lenient` (default): only the hard requirements reject; other fields are coerced when lossless or set
 * aside, each with a warning. `strict`: every deviation from the spec rejects, and so do unknown fields.
 */
export type ValidationMode = 'lenient' | 'strict';
export const VALIDATION_MODES: readonly ValidationMode[] = ['lenient', 'strict'];

export interface ParseLeadOptions {
  mode?: ValidationMode;
}

export type AcceptedLead =
  | { ok: true; kind: 'standard'; lead: StandardLead; warnings: FieldWarning[] }
  | { ok: true; kind: 'enhanced'; lead: EnhancedLead; warnings: FieldWarning[] };
export type RejectedLead = { ok: false; errors: FieldError[] };
export type ParseLeadResult = AcceptedLead | RejectedLead;

type JsonObject = Record<string, unknown>;

interface Violation {
  pointer: string;
  constraint: string;
  detail: string;
  value: unknown;
}

// DESIGN.md, Contracts: missing or mistyped, these reject the lead in every mode.
const HARD_POINTERS = new Set(['/lead_id', '/contact', '/contact/email', '/timestamp']);
// A hard field of the right type may still be repaired: a timestamp that parses as a date but is not
// RFC 3339, an email with surrounding blanks. A wrong type is never coerced there.
const REPAIRABLE_HARD_CONSTRAINTS = new Set(['isSpecDateTime', 'isSpecEmail']);
// Shown first when a field breaks several constraints at once.
const CONSTRAINT_PRIORITY = ['isDefined', 'isObject', 'isString', 'isNumber', 'isInt', 'isBoolean'];
const MAX_LENIENT_PASSES = 4;

/** Validates a lead body against the spec, following the rules of DESIGN.md (Contracts). */
export function parseLead(body: unknown, options: ParseLeadOptions = {}): ParseLeadResult {
  const exact = isJsonObject(body) ? exactSpecLead(body) : undefined;
  return exact ? accepted(exact, []) : parseLeadThoroughly(body, options);
}

/**
 * parseLead without its shortcut for bodies that are exactly as the spec describes: the DTO validation
 * that every result is defined by (and that the differential test compares the shortcut with).
 */
export function parseLeadThoroughly(body: unknown, options: ParseLeadOptions = {}): ParseLeadResult {
  if (!isJsonObject(body)) return { ok: false, errors: [{ pointer: '', detail: 'must be a JSON object' }] };
  return options.mode === 'strict' ? parseStrict(body) : parseLenient(body);
}

function parseStrict(body: JsonObject): ParseLeadResult {
  const errors: FieldError[] = [];
  const unknown: string[] = [];
  const draft = copyDeclaredFields(body, EnhancedLeadDto, '', {
    unknown: (pointer) => unknown.push(pointer),
    optionalNull: (pointer) => errors.push({ pointer, detail: 'must not be null' }),
  });
  if (unknown.length > 0) errors.push(unknownFieldsIssue(unknown));
  errors.push(...validate(draft).map(({ pointer, detail }) => ({ pointer, detail })));
  return errors.length > 0 ? { ok: false, errors } : accepted(draft, []);
}

function parseLenient(body: JsonObject): ParseLeadResult {
  const warnings = new Map<string, FieldWarning>();
  const warn = (pointer: string, action: FieldWarning['action'], detail: string) =>
    warnings.set(pointer, { pointer, action, detail });

  const unknown: string[] = [];
  const draft = copyDeclaredFields(body, EnhancedLeadDto, '', {
    unknown: (pointer) => unknown.push(pointer),
    optionalNull: (pointer) => warn(pointer, 'dropped', 'is null; treated as absent'),
  });
  if (unknown.length > 0) {
    const { pointer, detail } = unknownFieldsIssue(unknown, 'kept in the raw payload only');
    warn(pointer, 'ignored', detail);
  }

  for (let pass = 1; pass <= MAX_LENIENT_PASSES; pass++) {
    const violations = validate(draft);
    if (violations.length === 0) return accepted(draft, [...warnings.values()]);

    const errors: FieldError[] = [];
    const setAside: string[] = [];
    for (const violation of violations) {
      // What is inside a field set aside in this pass is gone with it.
      if (setAside.some((pointer) => violation.pointer.startsWith(`${pointer}/`))) continue;
      // An optional object that is not an object (`property: "1 Main St"`) is set aside like any optional field.
      const hard = HARD_POINTERS.has(violation.pointer);
      // A coercion is tried once per field; if it does not validate on the next pass the field is set aside.
      const coercible =
        !warnings.has(violation.pointer) && (!hard || REPAIRABLE_HARD_CONSTRAINTS.has(violation.constraint));
      const coercion = coercible ? proposeCoercion(violation.constraint, violation.value) : undefined;
      if (coercion) {
        setAt(draft, violation.pointer, coercion.value);
        warn(
          violation.pointer,
          'coerced',
          `${describe(violation.value)} taken as ${describe(coercion.value)}`,
        );
      } else if (hard) {
        errors.push({ pointer: violation.pointer, detail: violation.detail });
      } else {
        deleteAt(draft, violation.pointer);
        setAside.push(violation.pointer);
        warn(violation.pointer, 'dropped', `${violation.detail}; set aside (kept in the raw payload)`);
      }
    }
    if (errors.length > 0) return { ok: false, errors };
  }
  throw new Error('parseLead: lenient validation did not converge'); // unreachable: each pass settles fields
}

function accepted(draft: JsonObject, warnings: FieldWarning[]): AcceptedLead {
  const lead = { ...draft, timestamp: toUtcIso(draft['timestamp'] as string) } as EnhancedLead;
  return isEnhanced(lead)
    ? { ok: true, kind: 'enhanced', lead, warnings }
    : { ok: true, kind: 'standard', lead: lead as StandardLead, warnings };
}

export function leadKindOf(lead: EnhancedLead): LeadKind {
  return isEnhanced(lead) ? 'enhanced' : 'standard';
}

function isEnhanced(lead: EnhancedLead): boolean {
  const property = (lead.property ?? {}) as JsonObject;
  return (
    ENHANCED_ONLY_LEAD_FIELDS.some((field) => lead[field] !== undefined) ||
    ENHANCED_ONLY_PROPERTY_FIELDS.some((field) => property[field] !== undefined)
  );
}

function toUtcIso(timestamp: string): string {
  // RFC 3339 allows a leap second (23:59:60) that Date cannot represent.
  return new Date(
    Date.parse(isSpecDateTime(timestamp) ? timestamp.replace(/:60(?=[.zZ+-]|$)/, ':59') : timestamp),
  ).toISOString();
}

interface CopyHooks {
  unknown(pointer: string): void;
  optionalNull(pointer: string): void;
}

/**
 * A copy of `source` holding only the properties the DTO declares, so unknown keys (including a
 * JSON `__proto__` key) never reach class-transformer. Optional nulls are reported and left out.
 */
function copyDeclaredFields(
  source: JsonObject,
  dto: abstract new (...args: never[]) => object,
  pointer: string,
  hooks: CopyHooks,
): JsonObject {
  const declared = declaredProperties(dto);
  const required = requiredProperties(dto);
  const copy: JsonObject = {};
  for (const key of Object.keys(source)) {
    const fieldPointer = jsonPointer(pointer, key);
    const value = source[key];
    if (!declared.has(key)) {
      hooks.unknown(fieldPointer);
    } else if (value === null && !required.has(key)) {
      hooks.optionalNull(fieldPointer);
    } else {
      const nested =
        pointer === '' ? NESTED_LEAD_OBJECTS[key as keyof typeof NESTED_LEAD_OBJECTS] : undefined;
      copy[key] =
        nested && isJsonObject(value)
          ? copyDeclaredFields(value, nested, fieldPointer, hooks)
          : withoutContents(value);
    }
  }
  return copy;
}

/**
 * Every field that is not walked into above holds a scalar, so an object or array there is wrong whatever
 * it contains: it is validated as an empty one. class-transformer would otherwise walk into it, and an
 * own `constructor` key anywhere inside makes it throw a TypeError (a 500 instead of a field error).
 */
function withoutContents(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  return typeof value === 'object' && value !== null ? {} : value;
}

function validate(draft: JsonObject): Violation[] {
  const errors = validateSync(plainToInstance(EnhancedLeadDto, draft), {
    validationError: { target: false, value: true },
  });
  return flatten(errors, '');
}

function flatten(errors: ValidationError[], parent: string): Violation[] {
  return errors.flatMap((error) => {
    const pointer = jsonPointer(parent, error.property);
    const own = error.constraints ? [violationOf(error, pointer, error.constraints)] : [];
    return [...own, ...flatten(error.children ?? [], pointer)];
  });
}

function violationOf(
  error: ValidationError,
  pointer: string,
  constraints: Record<string, string>,
): Violation {
  const names = Object.keys(constraints);
  const constraint = CONSTRAINT_PRIORITY.find((name) => names.includes(name)) ?? (names[0] as string);
  const message = constraints[constraint] as string;
  const detail =
    constraint === 'isDefined'
      ? 'is required'
      : message.startsWith(`${error.property} `)
        ? message.slice(error.property.length + 1)
        : message;
  return { pointer, constraint, detail, value: error.value };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function setAt(target: JsonObject, pointer: string, value: unknown): void {
  const path = pathOf(pointer);
  const last = path.pop() as string;
  const parent = path.reduce<JsonObject>((node, key) => node[key] as JsonObject, target);
  parent[last] = value;
}

function deleteAt(target: JsonObject, pointer: string): void {
  const path = pathOf(pointer);
  const last = path.pop() as string;
  const parent = path.reduce<JsonObject>((node, key) => node[key] as JsonObject, target);
  delete parent[last];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${Array.isArray(value) ? 'array' : typeof value} ${shown}`;
}
