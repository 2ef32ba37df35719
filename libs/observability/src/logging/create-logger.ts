import pino, { type Logger, type LoggerOptions as PinoOptions } from 'pino';
import type { LogLevel } from '../observability.config';
import { maskSensitive } from './pii-mask';

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  format?: 'json' | 'pretty';
}

/**
 * pino options of every app. PII and secrets are masked in the emitted line at any depth of plain
 * objects (`formatters.log` runs only for lines that are written, unlike wildcard redaction paths, which
 * pino applies to every logged key and child binding). Request headers are serialised later, so the
 * credential headers are redacted by path.
 */
export function loggerOptions({ service, level, format = 'json' }: LoggerOptions): PinoOptions {
  return {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { log: (object) => maskSensitive(object) as Record<string, unknown> },
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    ...(format === 'pretty' ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  };
}

/** The JSON logger of an app: one line per event, PII masked and secrets redacted. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(loggerOptions(options));
}
