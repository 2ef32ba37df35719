import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { ProblemException, type InputError } from './problem.exception';

const PLAIN_TYPES: unknown[] = [String, Number, Boolean, Array, Object];

/**
 * Validates `@Query()` and `@Body()` DTO classes with class-validator: unknown members are rejected too
 * (a misspelt filter must not silently widen a query), and every problem is reported at once as a 400.
 */
@Injectable()
export class ValidateInputPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (!type || PLAIN_TYPES.includes(type) || (metadata.type !== 'query' && metadata.type !== 'body')) {
      return value;
    }
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw ProblemException.invalidInput([{ pointer: '', detail: 'must be a JSON object' }]);
    }
    const instance = plainToInstance(type, withScalarMembers(value ?? {})) as object;
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      throw ProblemException.invalidInput(errors.flatMap((error) => inputErrors(error, metadata.type, '')));
    }
    return instance;
  }
}

/**
 * The read API's inputs hold scalars (and lists of scalars, for repeated query parameters): an object where
 * one belongs is invalid whatever it contains, so it is validated as an empty one. class-transformer would
 * otherwise walk into it, and an own `constructor` key inside makes it throw (a 500, not a 400).
 */
function withScalarMembers(input: object): Record<string, unknown> {
  const emptied = (value: unknown) => (typeof value === 'object' && value !== null ? {} : value);
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.map(emptied) : emptied(value),
    ]),
  );
}

function inputErrors(error: ValidationError, where: ArgumentMetadata['type'], parent: string): InputError[] {
  const path = `${parent}/${error.property}`;
  const messages = Object.values(error.constraints ?? {}).map((message) =>
    message.replace(new RegExp(`^${error.property} `), ''),
  );
  const detail = messages.join('; ');
  const own: InputError[] =
    messages.length === 0
      ? []
      : [where === 'query' ? { parameter: path.slice(1), detail } : { pointer: path, detail }];
  return [...own, ...(error.children ?? []).flatMap((child) => inputErrors(child, where, path))];
}
