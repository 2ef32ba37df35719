import type { ValidationRuleDto } from '../faults/fault-settings.dto';
import { MAX_PROPERTY_LENGTH, type PropertyDef, type PropertySet } from './crm-properties';
import { invalidJson, type PropertyProblem } from './hubspot.error';

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export interface ReadProperties {
  values: Record<string, string>;
  problems: PropertyProblem[];
}

export function propertyProblem(
  name: string,
  error: string,
  message: string,
  portalId: string,
): PropertyProblem {
  return { isValid: false, message, error, name, localizedErrorMessage: message, portalId: Number(portalId) };
}

/**
 * Reads an object's `properties`. Every value must be a JSON string (numbers and booleans too, as the v3 API
 * types them); anything else fails the whole request. Unknown, read-only or invalid values are problems of
 * this input only.
 */
export function readProperties(
  set: PropertySet,
  input: unknown,
  portalId: string,
  { required = false, rules = [] }: { required?: boolean; rules?: ValidationRuleDto[] } = {},
): ReadProperties {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidJson('properties: expected an object of property names to string values');
  }
  const values: Record<string, string> = {};
  const problems: PropertyProblem[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== 'string') {
      throw invalidJson(
        `Cannot deserialize value of type \`java.lang.String\` from ${jsonKind(value)} (property "${name}"); property values are strings`,
      );
    }
    const definition = set.get(name);
    const problem = definition
      ? valueProblem(definition, value, portalId)
      : propertyProblem(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`, portalId);
    if (problem) problems.push(problem);
    else values[name] = definition?.type === 'email' ? value.toLowerCase() : value;
  }
  if (required) {
    for (const { name } of set.definitions.filter(
      (definition) => definition.required && !values[definition.name],
    )) {
      if (!problems.some((problem) => problem.name === name)) {
        problems.push(
          propertyProblem(name, 'REQUIRED_PROPERTY', `Missing required property: ${name}`, portalId),
        );
      }
    }
  }
  if (problems.length === 0) {
    for (const rule of rules) {
      if (new RegExp(rule.pattern).test(values[rule.field] ?? '')) {
        problems.push(propertyProblem(rule.field, 'INVALID_PROPERTY_VALUE', rule.message, portalId));
        break;
      }
    }
  }
  return { values, problems };
}

function valueProblem(definition: PropertyDef, value: string, portalId: string): PropertyProblem | undefined {
  const { name } = definition;
  if (definition.readOnly) {
    return propertyProblem(
      name,
      'READ_ONLY_VALUE',
      `"${name}" is a read only property; its value cannot be set.`,
      portalId,
    );
  }
  if (value.length > MAX_PROPERTY_LENGTH) {
    return propertyProblem(
      name,
      'INVALID_LONG_STRING',
      `Property "${name}" is longer than ${MAX_PROPERTY_LENGTH} characters`,
      portalId,
    );
  }
  if (value === '') return undefined;
  switch (definition.type) {
    case 'email':
      return EMAIL.test(value)
        ? undefined
        : propertyProblem(name, 'INVALID_EMAIL', `Email address ${value} is invalid`, portalId);
    case 'enumeration':
      return definition.options?.includes(value)
        ? undefined
        : propertyProblem(
            name,
            'INVALID_OPTION',
            `${value} was not one of the allowed options: [${definition.options?.join(', ')}]`,
            portalId,
          );
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value))
        ? undefined
        : propertyProblem(name, 'INVALID_FLOAT', `${value} was not a valid number.`, portalId);
    case 'bool':
      return value === 'true' || value === 'false'
        ? undefined
        : propertyProblem(
            name,
            'INVALID_BOOLEAN',
            `${value} was not a valid boolean (true or false).`,
            portalId,
          );
    case 'datetime':
      return /^\d{1,15}$/.test(value) || !Number.isNaN(Date.parse(value))
        ? undefined
        : propertyProblem(
            name,
            'INVALID_DATE',
            `${value} is not a valid timestamp (ms since epoch or ISO 8601).`,
            portalId,
          );
    default:
      return undefined;
  }
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'Array value';
  if (value === null) return 'null value';
  if (typeof value === 'object') return 'Object value';
  if (typeof value === 'number') return 'Number value';
  return 'Boolean value';
}
