import {
  createLogger,
  createServiceApp,
  loadConfigOrExit,
  startService,
  startTracing,
  type LoggingConfig,
} from '@lead-delivery/observability';
import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { deliverySettings, type ConnectorAppConfig } from '../config/connector-kit.config';
import type { CrmConnector } from '../connector/crm-connector';
import type { CrmEraser } from '../erasure/crm-eraser';
import { ErasureRuntimeModule } from '../erasure/erasure-runtime.module';
import { ConnectorRuntimeModule, type ConnectorAppOptions } from './connector-runtime.module';

export type ConnectorLogger = Logger;

/** The app's JSON logger (PII masked, secrets redacted). */
export function createConnectorLogger(service: string, logging: LoggingConfig): ConnectorLogger {
  return createLogger({ service, level: logging.LOG_LEVEL, format: logging.LOG_FORMAT });
}

/**
 * A connector app, not yet started: `runConnector` starts it; integration tests call `app.init()` (which
 * starts consuming) and `app.close()` (graceful shutdown).

 */
export function createConnectorApp<Mapped>(
  options: ConnectorAppOptions<Mapped> & { eraser?: CrmEraser },
): Promise<INestApplication> {
  const app = ConnectorRuntimeModule.forConnector(options);
  const { eraser } = options;
  return createServiceApp(eraser ? ErasureRuntimeModule.around(app, { ...options, eraser }) : app);
}

export interface ConnectorAppDefinition<Config extends ConnectorAppConfig, Mapped> {
  /** `connector-<destination>`: the service name in logs and metrics. */
  service: string;
  loadConfig(env: NodeJS.ProcessEnv): Config;
  createConnector(config: Config, logger: ConnectorLogger): CrmConnector<Mapped>;
  /** The connector's erasure side, when it has one: the app then also carries out erasure requests. */
  createEraser?(config: Config, logger: ConnectorLogger): CrmEraser;
}

/**
 * The whole `main.ts` of a connector app: validates the configuration (every problem at once, exit 78),
 * then serves health and metrics and consumes until SIGTERM.
 */
export async function runConnector<Config extends ConnectorAppConfig, Mapped>(
  definition: ConnectorAppDefinition<Config, Mapped>,
): Promise<void> {
  const config = loadConfigOrExit(() => definition.loadConfig(process.env));
  const logger = createConnectorLogger(definition.service, config.logging);
  // Each HTTP request a connector makes to its CRM becomes a span under the call's `deliver` span.
  await startTracing(definition.service, config.tracing, { httpClientSpans: true });
  const connector = definition.createConnector(config, logger);
  loadConfigOrExit(() => deliverySettings(connector.limits, config.connector));
  const eraser = definition.createEraser?.(config, logger);
  const { ERASURE_HASH_KEY } = config.suppression;
  if (!ERASURE_HASH_KEY) logger.warn('ERASURE_HASH_KEY is not set: leads of erased identities are delivered');
  const app = await createConnectorApp({ connector, config, logger, ...(eraser ? { eraser } : {}) });
  await startService(app, { logger, http: config.http });
}
