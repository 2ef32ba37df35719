import pino, { type Logger } from 'pino';
import type { LogLevel } from '../observability.config';
import { maskValue } from './pii-mask';

// pino's redaction matches fixed paths (one `*` per level), so PII is covered at the depths leads and
// events are logged at; code should log ids, not payloads.
const PII_KEYS = ['email', 'phone', 'phone_e164'];
const SECRET_KEYS = [
  'password',
  'token',
  'accessToken',
  'access_token',
  'refresh_token',
  'secret',
  'client_secret',
  'apiKey',
  'api_key',
  'digital_signature',
  'authorization',
];

function pathsFor(keys: string[]): string[] {
  return keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);
}

export const REDACTED_PATHS = [
  ...pathsFor([...PII_KEYS, ...SECRET_KEYS]),
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  format?: 'json' | 'pretty';
}

/** The JSON logger of an app: one line per event, PII masked and secrets redacted. */
export function createLogger({ service, level, format = 'json' }: LoggerOptions): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: REDACTED_PATHS,
      censor: (value, path) => maskValue(value, String(path[path.length - 1])),
    },
    ...(format === 'pretty' ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
  });
}
