import { ConfigError } from '@lead-delivery/config';
import type { AddressInfo } from 'node:net';
import { loadSandboxConfig, type SandboxAppConfig } from './app.config';
import { createSandboxApp } from './create-app';
import { createSandboxLogger } from './sandbox-logger';

function loadConfigOrExit(): SandboxAppConfig {
  try {
    return loadSandboxConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createSandboxLogger(config.sandbox);
  const app = await createSandboxApp(config, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ message: 'shutting down', signal });
      setTimeout(() => {
        logger.error({
          message: 'shutdown deadline passed; exiting',
          timeoutMs: config.sandbox.SHUTDOWN_TIMEOUT_MS,
        });
        process.exit(1);
      }, config.sandbox.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
  await app.listen(config.sandbox.PORT, config.sandbox.HOST);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log({
    message: 'ready',
    port,
    salesforceOrgs: config.salesforce.SALESFORCE_ORGS.length,
    hubspotPortals: config.hubspot.HUBSPOT_PORTALS.length,
  });
}

void main();
