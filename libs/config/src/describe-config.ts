import { envVarsOf, type EnvVarDescription } from './env-var.decorator';

export interface ConfigVariable extends EnvVarDescription {
  name: string;
  default?: string;
}

/** The variables a config class reads, with defaults, for generated documentation. */
export function describeConfig(configClass: new () => object): ConfigVariable[] {
  const defaults = new configClass() as Record<string, unknown>;
  return [...envVarsOf(configClass)].map(([name, description]) => {
    const value = defaults[name];
    const shown = value === undefined ? undefined : Array.isArray(value) ? value.join(',') : String(value);
    return {
      name,
      ...description,
      ...(shown !== undefined && !description.secret ? { default: shown } : {}),
    };
  });
}
