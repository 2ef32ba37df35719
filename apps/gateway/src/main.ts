import { createLogger, loadConfigOrExit, startService, startTracing } from '@lead-delivery/observability';
import { loadAccounts } from './accounts/load-accounts';
import { loadGatewayConfig } from './app.config';
import { createGatewayApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadGatewayConfig());
  const accounts = loadConfigOrExit(() => loadAccounts(config.gateway.ACCOUNTS_FILE));
  const logger = createLogger({
    service: 'gateway',
    level: config.logging.LOG_LEVEL,
    format: config.logging.LOG_FORMAT,
  });
  await startTracing('gateway', config.tracing);
  const app = await createGatewayApp(config, accounts, logger);
  await startService(app, { logger, http: config.http });
}

void main();
