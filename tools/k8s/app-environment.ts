import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { posix } from 'node:path';
import type { AppConfiguration } from '../docs/app-configs';

/** Variables a deployment may set that no config class reads: they tune the Node.js runtime itself. */
export const RUNTIME_VARIABLES = ['NODE_ENV', 'NODE_OPTIONS'];

/**
 * What a container gets: variable name → its literal value, or `undefined` when it comes from a Secret
 * (its value is unknown here, only its presence).
 */
export type ProvidedEnvironment = Map<string, string | undefined>;

/**
 * Everything wrong with the environment a deployment gives an app: a required variable missing, a
 * variable the app does not read (a typo, or a setting of another app), or a literal value the app's
 * own validation refuses.
 */
export function environmentProblems(app: AppConfiguration, provided: ProvidedEnvironment): string[] {
  const known = new Map(app.variables.map((variable) => [variable.name, variable]));
  const missing = app.variables
    .filter((variable) => variable.required && !provided.has(variable.name))
    .map((variable) => `${variable.name} is required by ${app.app} but not provided`);
  const unknown = [...provided.keys()]
    .filter((name) => !known.has(name) && !RUNTIME_VARIABLES.includes(name))
    .map((name) => `${name} is not a variable ${app.app} reads`);
  const literals = [...provided].filter(
    (entry): entry is [string, string] => entry[1] !== undefined && known.has(entry[0]),
  );
  const classes = new Set(literals.map(([name]) => known.get(name)?.configClass));
  const invalid = [...classes].flatMap((configClass) => {
    if (!configClass) return [];
    const instance = plainToInstance(configClass, Object.fromEntries(literals), {
      excludeExtraneousValues: true,
      exposeDefaultValues: true,
    });
    return validateSync(instance)
      .filter((error) => literals.some(([name]) => name === error.property))
      .map(
        (error) =>
          `${error.property}=${JSON.stringify(provided.get(error.property))} is refused by ${app.app}: ${Object.values(
            error.constraints ?? {},
          ).join('; ')}`,
      );
  });
  return [...missing, ...unknown, ...invalid];
}

/** Secrets (`@EnvVar({ secret: true })`) written as literal values instead of coming from a Secret. */
export function literalSecrets(app: AppConfiguration, provided: ProvidedEnvironment): string[] {
  const secrets = new Set(
    app.variables.filter((variable) => variable.secret).map((variable) => variable.name),
  );
  return [...provided]
    .filter(([name, value]) => value !== undefined && secrets.has(name))
    .map(([name]) => `${name} is a secret of ${app.app} but is given as a literal value`);
}

/** `*_FILE` variables must name a file inside one of the container's mounts. */
export function unmountedFiles(provided: ProvidedEnvironment, mountPaths: string[]): string[] {
  return [...provided]
    .filter(([name, value]) => name.endsWith('_FILE') && value !== undefined)
    .filter(
      ([, file]) =>
        !mountPaths.some(
          (mount) => file === mount || posix.relative(mount, file as string).split('/')[0] !== '..',
        ),
    )
    .map(
      ([name, file]) => `${name}=${file} is not inside a mounted volume (${mountPaths.join(', ') || 'none'})`,
    );
}
