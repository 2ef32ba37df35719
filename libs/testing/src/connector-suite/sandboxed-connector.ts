/// <reference types="jest" />
import { ConnectorTestBed, type ConnectorUnderTest } from '../connector-test-bed';
import { type RunningCrmSandbox, startCrmSandbox } from '../crm-sandbox-client';

/** A connector and the crm-sandbox it is tested against. */
export interface SandboxedConnectorSetup {
  connector: ConnectorUnderTest;
  /** The sandbox's environment: its tenants (orgs, portals) and their credentials. */
  sandboxEnv: Record<string, string>;
  /** The connector's environment against the sandbox at `url`, its accounts file included. */
  connectorEnv(url: string): Record<string, string>;
}

/** What a spec works with once the sandbox runs (read inside tests and hooks only). */
export interface SandboxedConnector {
  readonly sandbox: RunningCrmSandbox;
  readonly bed: ConnectorTestBed;
  /** The connector's environment against this sandbox, with `extra` on top. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/**
 * Registers the hooks of a connector integration spec: the real crm-sandbox started (a child process)
 * and the connector's test bed on the real broker before all tests; apps stopped and the sandbox
 * emptied after each; both stopped after all.
 */
export function useSandboxedConnector(setup: SandboxedConnectorSetup): SandboxedConnector {
  // Set one by one, so that afterAll stops what a failing beforeAll did start.
  let sandbox: RunningCrmSandbox | undefined;
  let bed: ConnectorTestBed | undefined;
  let env: Record<string, string> | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the sandbox is not started: use it inside tests and hooks');
    return value;
  };

  beforeAll(async () => {
    sandbox = await startCrmSandbox(setup.sandboxEnv);
    bed = new ConnectorTestBed(setup.connector);
    await bed.setUp();
    await bed.skipExisting();
    env = setup.connectorEnv(sandbox.url);
  });

  afterEach(async () => {
    await bed?.stopApps();
    await sandbox?.client.reset();
  });

  afterAll(async () => {
    try {
      await bed?.tearDown();
    } finally {
      await sandbox?.stop();
    }
  });

  return {
    get sandbox() {
      return started(sandbox);
    },
    get bed() {
      return started(bed);
    },
    env: (extra = {}) => ({ ...started(env), ...extra }),
  };
}
