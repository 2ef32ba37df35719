import { createConnectorApp, createConnectorLogger } from '@lead-delivery/connector-kit';
import { ConnectorTestBed, freePort, type ConnectorUnderTest } from '@lead-delivery/testing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadFollowupbossConfig } from '../../src/app.config';
import { createFollowupbossConnector } from '../../src/create-connector';
import { createFollowupbossEraser } from '../../src/erasure/create-eraser';

/** The connector's consumer group (`connector-<destination>`). */
const GROUP = 'connector-followupboss';
const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

export const SANDBOX_ACCOUNT = { id: '3000001', apiKey: 'fub-int-key-a' };
export const SYSTEM = { name: 'LeadDeliveryPlatform', key: 'fub-int-system-key' };

export interface SandboxPerson {
  id: number;
  emails: { value: string }[];
  events: {
    type: string;
    source: string;
    system?: string;
    description?: string;
    property?: Record<string, unknown>;
  }[];
}

/**
 * The fake Follow Up Boss (apps/crm-sandbox/src/followupboss) in a child process, served on its own until
 * the sandbox app loads it from the connector registry.
 */
export async function startFollowupbossSandbox() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register',
      '-r',
      'tsconfig-paths/register',
      join('apps', 'crm-sandbox', 'src', 'followupboss', 'followupboss-standalone.ts'),
    ],
    {
      cwd: WORKSPACE_ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: 'tsconfig.base.json',
        TS_NODE_TRANSPILE_ONLY: 'true',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        FOLLOWUPBOSS_ACCOUNTS: `${SANDBOX_ACCOUNT.id}:${SANDBOX_ACCOUNT.apiKey}`,
        FOLLOWUPBOSS_SYSTEMS: `${SYSTEM.name}:${SYSTEM.key}`,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the Follow Up Boss sandbox did not start:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/sandbox/followupboss${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`sandbox ${method} ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    url,
    stop,
    reset: () => admin('DELETE', ''),
    people: async () => (await admin('GET', `/accounts/${SANDBOX_ACCOUNT.id}/people`)) as SandboxPerson[],
  };
}

/** The Follow Up Boss connector app as main.ts runs it (with its eraser), in its own consumer group. */
export const FOLLOWUPBOSS_CONNECTOR: ConnectorUnderTest = {
  destination: 'followupboss',
  group: GROUP,
  createApp: async (env) => {
    const config = loadFollowupbossConfig(env);
    const logger = createConnectorLogger(GROUP, config.logging);
    return createConnectorApp({
      connector: createFollowupbossConnector(config, logger),
      eraser: createFollowupbossEraser(config),
      config,
      logger,
    });
  },
};

/** The connector app on the real broker, with a recorder of what it writes back. */
export function followupbossTestBed(): ConnectorTestBed {
  return new ConnectorTestBed(FOLLOWUPBOSS_CONNECTOR);
}
