import { createLogger, loadConfigOrExit, startService } from '@lead-delivery/observability';
import { loadGatewayConfig } from './app.config';
import { createGatewayApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadGatewayConfig());
  const logger = createLogger({
    service: 'gateway',
    level: config.logging.LOG_LEVEL,
    format: config.logging.LOG_FORMAT,
  });
  const app = await createGatewayApp(config, logger);
  await startService(app, { logger, http: config.http });
}

void main();
