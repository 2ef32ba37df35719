import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel, SandboxConfig } from './sandbox.config';

const LEVELS: Record<LogLevel, NestLogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * Nest's own logger (the sandbox may not use the platform's observability lib), JSON lines by default.
 * Lines name CRMs, endpoints, tenants and statuses, never request bodies, emails or tokens.
 */
export function createSandboxLogger({ LOG_LEVEL, LOG_FORMAT }: SandboxConfig): ConsoleLogger {
  return new ConsoleLogger('crm-sandbox', {
    json: LOG_FORMAT === 'json',
    logLevels: LEVELS[LOG_LEVEL],
    colors: LOG_FORMAT === 'pretty',
  });
}
