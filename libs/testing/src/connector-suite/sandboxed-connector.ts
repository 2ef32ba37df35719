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
  let running: { sandbox: RunningCrmSandbox; bed: ConnectorTestBed; env: Record<string, string> } | undefined;
  const started = () => {
    if (!running) throw new Error('the sandbox is not started: use it inside tests and hooks');
    return running;
  };

  beforeAll(async () => {
    const sandbox = await startCrmSandbox(setup.sandboxEnv);
    const bed = await new ConnectorTestBed(setup.connector).setUp();
    await bed.skipExisting();
    running = { sandbox, bed, env: setup.connectorEnv(sandbox.url) };
  });

  afterEach(async () => {
    await running?.bed.stopApps();
    await running?.sandbox.client.reset();
  });

  afterAll(async () => {
    await running?.bed.tearDown();
    await running?.sandbox.stop();
  });

  return {
    get sandbox() {
      return started().sandbox;
    },
    get bed() {
      return started().bed;
    },
    env: (extra = {}) => ({ ...started().env, ...extra }),
  };
}
