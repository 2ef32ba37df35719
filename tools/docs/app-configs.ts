import * as configLib from '@lead-delivery/config';
import { describeConfig, envVarsOf, type ConfigVariable } from '@lead-delivery/config';
import * as connectorKit from '@lead-delivery/connector-kit';
import * as messaging from '@lead-delivery/messaging';
import * as observability from '@lead-delivery/observability';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

// What each app reads from its environment, for the configuration reference (tools/docs) and for the
// checks that the compose file and the Kubernetes manifests provide it (tools/k8s).
//
// Apps are found by convention, not imported by name: every `apps/<app>/src/app.config.ts` exports one
// `load<App>Config(env)` function. That function is called with an environment that records the names
// it reads, so the list is exactly what the app validates at startup, in its order. Each name is then
// described by the config class that declares it: one of the app's own (`src/**/*.config.ts`) or a
// shared fragment exported by a lib. A new app or connector needs no entry here.

export const WORKSPACE_ROOT = join(__dirname, '..', '..');

export type ConfigClass = new () => object;

export interface AppVariable extends ConfigVariable {
  /** No default and not optional: the app refuses to start without it. */
  required: boolean;
  /** The config class that declares it, e.g. `KafkaConfig`. */
  declaredBy: string;
  configClass: ConfigClass;
  /** Where that class lives: the app's own `src/...` file, or a lib's package name. */
  source: string;
  shared: boolean;
}

export interface AppConfiguration {
  app: string;
  variables: AppVariable[];
  /** The app's own `load<App>Config(env)`: the whole startup validation, files it names included. */
  load(env: NodeJS.ProcessEnv): unknown;
}

interface DeclaringClass {
  configClass: ConfigClass;
  source: string;
  shared: boolean;
}

const SHARED_LIBS: Record<string, Record<string, unknown>> = {
  '@lead-delivery/config': configLib,
  '@lead-delivery/messaging': messaging,
  '@lead-delivery/observability': observability,
  '@lead-delivery/connector-kit': connectorKit,
};

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Every app with a `src/app.config.ts`, by folder name. */
export function appsWithConfig(root = WORKSPACE_ROOT): string[] {
  return readdirSync(join(root, 'apps'))
    .filter((app) => existsSync(join(root, 'apps', app, 'src', 'app.config.ts')))
    .sort();
}

export function appConfigurations(root = WORKSPACE_ROOT): AppConfiguration[] {
  return appsWithConfig(root).map((app) => appConfiguration(app, root));
}

export function appConfiguration(app: string, root = WORKSPACE_ROOT): AppConfiguration {
  const sourceDir = join(root, 'apps', app, 'src');
  const load = loaderOf(app, require(join(sourceDir, 'app.config.ts')) as Record<string, unknown>);
  const own = configClassesIn(
    configFiles(sourceDir).map((file) => ({
      source: relative(root, file),
      exports: require(file) as Record<string, unknown>,
    })),
    false,
  );
  const shared = configClassesIn(
    Object.entries(SHARED_LIBS).map(([source, exports]) => ({ source, exports })),
    true,
  );

  return {
    app,
    load,
    variables: variablesReadBy(load).map((name) => {
      const declaring = declaringClass(app, name, own) ?? declaringClass(app, name, shared);
      if (!declaring) {
        throw new Error(
          `${app} reads ${name}, but no config class of apps/${app}/src/**/*.config.ts or of a shared lib declares it with @EnvVar`,
        );
      }
      const description = describeConfig(declaring.configClass).find((variable) => variable.name === name);
      return {
        ...(description as ConfigVariable),
        required: requiredVariables(declaring.configClass).has(name),
        declaredBy: declaring.configClass.name,
        configClass: declaring.configClass,
        source: declaring.source,
        shared: declaring.shared,
      };
    }),
  };
}

function loaderOf(app: string, exports: Record<string, unknown>): (env: NodeJS.ProcessEnv) => unknown {
  const loaders = Object.entries(exports).filter(
    ([name, value]) => /^load\w*Config$/.test(name) && typeof value === 'function',
  );
  if (loaders.length !== 1) {
    throw new Error(
      `apps/${app}/src/app.config.ts must export exactly one load<App>Config(env) function (found ${loaders.length})`,
    );
  }
  return loaders[0][1] as (env: NodeJS.ProcessEnv) => unknown;
}

/** The variable names `load` reads, in order. It fails on the empty environment; only the reads matter. */
function variablesReadBy(load: (env: NodeJS.ProcessEnv) => unknown): string[] {
  const read = new Set<string>();
  const recordingEnv = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, property) {
      if (typeof property === 'string' && ENV_NAME.test(property)) read.add(property);
      return undefined;
    },
  });
  try {
    load(recordingEnv);
  } catch (error) {
    if (!(error instanceof configLib.ConfigError)) throw error;
  }
  return [...read];
}

function configFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? configFiles(join(dir, entry.name))
        : entry.name.endsWith('.config.ts') && !entry.name.endsWith('.spec.ts')
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

function configClassesIn(
  modules: { source: string; exports: Record<string, unknown> }[],
  shared: boolean,
): DeclaringClass[] {
  return modules.flatMap(({ source, exports }) =>
    Object.values(exports)
      .filter(
        (value): value is ConfigClass =>
          typeof value === 'function' &&
          value.prototype !== undefined &&
          envVarsOf(value as ConfigClass).size > 0,
      )
      .map((configClass) => ({ configClass, source, shared })),
  );
}

function declaringClass(app: string, name: string, classes: DeclaringClass[]): DeclaringClass | undefined {
  const declaring = classes.filter(({ configClass }) => envVarsOf(configClass).has(name));
  const distinct = [...new Set(declaring.map(({ configClass }) => configClass))];
  if (distinct.length > 1) {
    throw new Error(
      `${app}: ${name} is declared by ${distinct.map((configClass) => configClass.name).join(' and ')}; keep one`,
    );
  }
  return declaring[0];
}

const requiredCache = new Map<ConfigClass, Set<string>>();

/** The variables whose absence fails validation, with the options loadConfig reads the environment with. */
function requiredVariables(configClass: ConfigClass): Set<string> {
  const cached = requiredCache.get(configClass);
  if (cached) return cached;
  const empty = plainToInstance(
    configClass,
    {},
    { excludeExtraneousValues: true, exposeDefaultValues: true },
  );
  const required = new Set(validateSync(empty).map((error) => error.property));
  requiredCache.set(configClass, required);
  return required;
}
