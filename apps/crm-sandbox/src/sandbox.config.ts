import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The sandbox process: listener, logging, and the defaults of fault injection. */
export class SandboxConfig {
  @EnvVar({ description: 'Port of the HTTP listener (0: any free port).' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(65_535)
  PORT = 4010;

  @EnvVar({ description: 'Interface to listen on.' })
  @IsString()
  HOST = '0.0.0.0';

  @EnvVar({
    description:
      'Base URL clients reach the sandbox at, returned as Salesforce `instance_url`. Unset: taken from each token request (its Host header).',
    example: 'http://crm-sandbox:4010',
  })
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  SANDBOX_PUBLIC_URL?: string;

  @EnvVar({ description: 'Seed of the fault-injection randomness (reproducible runs). Unset: random.' })
  @IsOptional()
  @IntFromEnv()
  @IsInt()
  SANDBOX_SEED?: number;

  @EnvVar({ description: 'Latency added to every CRM call unless the admin API sets another, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(60_000)
  SANDBOX_LATENCY_MS = 0;

  @EnvVar({ description: 'Random extra latency, uniform in [0, this), added to SANDBOX_LATENCY_MS, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(60_000)
  SANDBOX_LATENCY_JITTER_MS = 0;

  @EnvVar({ description: 'CRM calls kept in the request log (oldest dropped first).' })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(10_000_000)
  SANDBOX_REQUEST_LOG_LIMIT = 200_000;

  @EnvVar({
    description: 'On SIGTERM, how long in-flight calls may take before the process exits anyway, in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(300_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @EnvVar({ description: 'Minimum level of log lines.' })
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @EnvVar({ description: '`json` for machines (default), `pretty` for a terminal.' })
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';
}
