import { createLogger, loadConfigOrExit, startService, startTracing } from '@lead-delivery/observability';
import { loadEnrichmentConfig } from './app.config';
import { createEnrichmentApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(() => loadEnrichmentConfig());
  const logger = createLogger({
    service: 'enrichment',
    level: config.logging.LOG_LEVEL,
    format: config.logging.LOG_FORMAT,
  });
  await startTracing('enrichment', config.tracing);
  logger.info(
    { modelVersion: config.scoringModel.model_version, routedAccounts: config.routingRules.accounts.size },
    'scoring model and routing rules loaded',
  );
  const app = await createEnrichmentApp(config, logger);
  await startService(app, { logger, http: config.http });
}

void main();
