import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Logging of every app. */
export class LoggingConfig {
  @EnvVar({ description: 'Minimum level of log lines.' })
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @EnvVar({ description: '`json` for machines (default), `pretty` for a terminal.' })
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';
}

/** The HTTP listener every app has (its API, or only health and metrics). */
export class HttpConfig {
  @EnvVar({ description: 'Port of the HTTP listener.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(65_535)
  PORT = 3000;

  @EnvVar({ description: 'Interface to listen on.' })
  @IsString()
  HOST = '0.0.0.0';

  @EnvVar({
    description: 'On SIGTERM, how long in-flight work may take before the process exits anyway, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(300_000)
  SHUTDOWN_TIMEOUT_MS = 25_000;
}
