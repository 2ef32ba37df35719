import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { envVarsOf } from './env-var.decorator';

type ConfigClass<T extends object = object> = new () => T;
type Loaded<Fragments extends Record<string, ConfigClass>> = {
  [Name in keyof Fragments]: InstanceType<Fragments[Name]>;
};

/** Every problem with the environment at once, one line per variable, never showing a secret's value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads several config classes (fragments contributed by libs and the app) from the environment,
 * validates them all, and throws one ConfigError listing every problem.
 */
export function loadConfig<Fragments extends Record<string, ConfigClass>>(
  fragments: Fragments,
  env: NodeJS.ProcessEnv = process.env,
): Loaded<Fragments> {
  const problems: string[] = [];
  const loaded = Object.fromEntries(
    Object.entries(fragments).map(([name, configClass]) => {
      const instance = plainToInstance(configClass, env, {
        excludeExtraneousValues: true,
        exposeDefaultValues: true,
      });
      problems.push(...validateSync(instance).map((error) => describeProblem(configClass, error)));
      return [name, instance];
    }),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded as Loaded<Fragments>;
}

function describeProblem(configClass: ConfigClass, error: ValidationError): string {
  const variable = envVarsOf(configClass).get(error.property);
  const shown = variable?.secret ? '(secret, not shown)' : JSON.stringify(error.value);
  const reasons = Object.values(error.constraints ?? {})
    .map((message) => message.replace(new RegExp(`^${error.property} `), ''))
    .join('; ');
  const value = error.value === undefined ? 'not set' : `got ${shown}`;
  return `${error.property}: ${reasons} (${value}). ${variable?.description ?? ''}`.trim();
}
