import { createLogger, loadConfigOrExit, startService, startTracing } from '@lead-delivery/observability';
import { loadPersistenceConfig } from './app.config';
import { createPersistenceApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadPersistenceConfig());
  const logger = createLogger({
    service: 'persistence',
    level: config.logging.LOG_LEVEL,
    format: config.logging.LOG_FORMAT,
  });
  await startTracing('persistence', config.tracing);
  const app = await createPersistenceApp(config, logger);
  await startService(app, { logger, http: config.http });
}

void main();
