import { loadConfig } from '@lead-delivery/config';
import { sandboxCrmConfigs } from './sandbox-crms';
import { SandboxConfig } from './sandbox.config';

export { LOG_LEVELS, SandboxConfig, type LogLevel } from './sandbox.config';

/** The sandbox's own settings and those of each registry CRM it emulates (`salesforce`, `hubspot`, ...). */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig({ sandbox: SandboxConfig, ...sandboxCrmConfigs() }, env);
}

export type SandboxAppConfig = ReturnType<typeof loadSandboxConfig>;
