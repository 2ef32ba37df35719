import { CONNECTOR_IDS, type ConnectorId } from '@lead-delivery/contracts';
import type { DynamicModule } from '@nestjs/common';
import { FollowupbossConfig } from './followupboss/followupboss.config';
import { FollowupbossModule } from './followupboss/followupboss.module';
import { HubspotModule } from './hubspot/hubspot.module';
import { HubspotConfig } from './hubspot/hubspot.config';
import { SalesforceModule } from './salesforce/salesforce.module';
import { SalesforceConfig } from './salesforce/salesforce.config';
import type { SandboxConfig } from './sandbox.config';

/** One fake CRM: the folder `src/<id>` of a registry connector, as the app loads it. */
export interface SandboxCrm<Config extends object> {
  /** Its settings (environment variables), validated with the sandbox's at startup. */
  config: new () => Config;
  /** Where its API starts, as its clients call it: requests under it are that CRM's calls. */
  apiPath: string;
  module(config: Config, sandbox: SandboxConfig): DynamicModule;
}

const sandboxCrm = <Config extends object>(crm: SandboxCrm<Config>) => crm;

/**
 * The fake CRM of each connector of libs/contracts' CONNECTORS, by its id (a module of no registry line is
 * a compile error; a registry line without its module yet is emulated by nothing, which
 * sandbox-crms.spec.ts reports). Static imports keep Nest's DI metadata and the webpack bundle as they are.
 */
export const SANDBOX_CRMS = {
  salesforce: sandboxCrm({
    config: SalesforceConfig,
    apiPath: '/services/',
    module: (config, sandbox) => SalesforceModule.register(config, sandbox),
  }),
  hubspot: sandboxCrm({
    config: HubspotConfig,
    apiPath: '/crm/',
    module: (config) => HubspotModule.register(config),
  }),
  followupboss: sandboxCrm({
    config: FollowupbossConfig,
    apiPath: '/v1/',
    module: (config) => FollowupbossModule.register(config),
  }),
} satisfies { [Id in ConnectorId]?: SandboxCrm<object> };

export type EmulatedCrm = keyof typeof SANDBOX_CRMS;

/** The registry's CRMs the sandbox emulates, in registry order. */
export const EMULATED_CRMS: readonly EmulatedCrm[] = CONNECTOR_IDS.filter(
  (id): id is EmulatedCrm => id in SANDBOX_CRMS,
);

export type SandboxCrmConfigs = { [Id in EmulatedCrm]: (typeof SANDBOX_CRMS)[Id]['config'] };

/** Each emulated CRM's settings class, by id: loadSandboxConfig's fragments besides the sandbox's own. */
export const sandboxCrmConfigs = () =>
  Object.fromEntries(EMULATED_CRMS.map((id) => [id, SANDBOX_CRMS[id].config])) as SandboxCrmConfigs;
