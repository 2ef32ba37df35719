import { Expose } from 'class-transformer';
import 'reflect-metadata';

export interface EnvVarDescription {
  /** What the variable does, shown in startup errors and in the README's configuration reference. */
  description: string;
  /** Never printed: in errors, logs or documentation examples. */
  secret?: boolean;
  example?: string;
}

const ENV_VARS = Symbol('env-vars');

/** Declares a property of a config class as an environment variable of the same name. */
export function EnvVar(description: EnvVarDescription): PropertyDecorator {
  return (target, property) => {
    Expose()(target, property);
    const declared: Map<string, EnvVarDescription> = Reflect.getMetadata(ENV_VARS, target) ?? new Map();
    Reflect.defineMetadata(ENV_VARS, new Map(declared).set(String(property), description), target);
  };
}

export function envVarsOf(configClass: new () => object): Map<string, EnvVarDescription> {
  return Reflect.getMetadata(ENV_VARS, configClass.prototype) ?? new Map();
}
