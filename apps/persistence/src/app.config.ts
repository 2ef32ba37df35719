import {
  BooleanFromEnv,
  ConfigError,
  DatabaseConfig,
  EnvVar,
  IntFromEnv,
  loadConfig,
} from '@lead-delivery/config';
import { SUPPRESSION_RETENTION_DAYS } from '@lead-delivery/contracts';
import { CONSUMER_RUNNER_CONFIG } from '@lead-delivery/messaging';
import { HttpConfig, LoggingConfig, TracingConfig } from '@lead-delivery/observability';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  MinLength,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { MAX_RETENTION_DAYS, parseRetentionByAccount } from './privacy/contact-retention';
import {
  OperatorTokenStore,
  operatorTokenProblems,
  type OperatorTokenEntry,
} from './read-api/http/operator-tokens';
import { PUBLISHED_OPERATOR_TOKEN_HASHES } from './read-api/http/published-operator-tokens';
import { crmRecordLinkProblems, type CrmRecordLinkSettings } from './read-api/leads/crm-record-links';

/** Validates with a function returning every problem of the value (none when valid). */
function HasNoProblems(problemsOf: (value: unknown) => string[]): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'hasNoProblems',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => problemsOf(value).length === 0,
        defaultMessage: (args?: ValidationArguments) => problemsOf(args?.value).join('; '),
      },
    });
}

const parseJson = (value: unknown) => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** Settings of the persistence service; Kafka, PostgreSQL, HTTP (health, metrics) and logging come from the shared fragments. */
export class PersistenceConfig {
  @EnvVar({ description: 'Port of the operator read API (PORT serves only health and metrics).' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(65_535)
  READ_API_PORT = 3001;

  @EnvVar({
    description:
      'Operator tokens of the read API, a JSON array of `{"name", "sha256", "scopes"}`: the SHA-256 (hex) of each token, never the token; scopes `read` (leads, stats, dead letters masked), `erase` (erasures), `replay` (replay dead letters), `pii` (dead letters unmasked); several entries per name during a rotation.',
    secret: true,
    example: '[{"name":"ops","sha256":"<64 hex digits>","scopes":["read","erase"]}]',
  })
  @Transform(({ value }) => parseJson(value))
  @HasNoProblems(operatorTokenProblems)
  OPERATOR_TOKENS!: OperatorTokenEntry[];

  @EnvVar({
    description:
      "Directory of the operator console's build (`npx nx build console` writes dist/apps/console), served under /console of the read API; unset: no console.",
  })
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

  @EnvVar({
    description:
      'Links to CRM records in the read API and the console: per destination, an https URL template with `{id}` (and `{account}`), as `default` and per account (each account has its own Salesforce org or HubSpot portal).',
    example:
      '{"salesforce":{"accounts":{"acct-a":"https://a.lightning.force.com/lightning/r/{id}/view"}},"hubspot":{"default":"https://app.hubspot.com/contacts/123/record/0-1/{id}"}}',
  })
  @Transform(({ value }) => parseJson(value))
  @IsOptional()
  @HasNoProblems(crmRecordLinkProblems)
  CRM_RECORD_LINKS?: CrmRecordLinkSettings;

  @EnvVar({
    description:
      'Key of the HMAC-SHA256 under which erased identities (email, phone) are recorded; at least 32 characters. Changing it makes earlier erasures unrecognisable.',
    secret: true,
  })
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters long' })
  ERASURE_HASH_KEY!: string;

  @EnvVar({ description: 'How often the erasure worker looks for places to erase, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(600_000)
  ERASURE_POLL_INTERVAL_MS = 2_000;

  @EnvVar({ description: 'Longest wait before a failed erasure step is tried again, in ms (backoff).' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  ERASURE_RETRY_MAX_DELAY_MS = 300_000;

  @EnvVar({
    description:
      "How long a CRM place may wait for its connector's outcome before the erasure is asked for again (erasing is idempotent), in ms.",
  })
  @IntFromEnv()
  @IsInt()
  @Min(10_000)
  @Max(604_800_000)
  ERASURE_CRM_REREQUEST_AFTER_MS = 3_600_000;

  @EnvVar({
    description:
      'Days after an erasure during which its identity (email, phone) stays suppressed: leads of it are stored without personal data and connectors do not deliver them. Longer than the longest Kafka retention (a dead letter replayed late must not bring the person back); at most the retention of identities.suppressed.v1 (45 days), from which connectors learn it.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(SUPPRESSION_RETENTION_DAYS)
  ERASURE_SUPPRESSION_DAYS = 45;

  @EnvVar({
    description:
      'Hours during which a second erasure request for the same identity and scope returns the first erasure.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  @Max(720)
  ERASURE_IDEMPOTENCY_WINDOW_HOURS = 24;

  @EnvVar({
    description:
      "Days after the lead timestamp when a lead's personal data (contact, address, message, raw payload, person link) is removed, keeping its non-personal facts.",
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(MAX_RETENTION_DAYS)
  CONTACT_RETENTION_DAYS = 730;

  @EnvVar({
    description:
      'Accounts whose contact data is kept for another number of days than CONTACT_RETENTION_DAYS: `account=days` pairs, comma-separated.',
    example: 'acct-austin-brokerage=365,acct-solo-agent=90',
  })
  @IsOptional()
  @IsString()
  @HasNoProblems((value) => (typeof value === 'string' ? parseRetentionByAccount(value).problems : []))
  CONTACT_RETENTION_DAYS_BY_ACCOUNT?: string;

  @EnvVar({
    description:
      'Days after the lead timestamp when its raw payload and message are purged (contact data: CONTACT_RETENTION_DAYS).',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(3_650)
  RETENTION_DAYS = 365;

  @EnvVar({ description: 'How often the retention job looks for payloads to purge, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  RETENTION_SWEEP_INTERVAL_MS = 3_600_000;

  @EnvVar({
    description: 'Run the migrations at startup (otherwise run `npm run persistence:migrate` first).',
  })
  @BooleanFromEnv()
  @IsIn([true, false], { message: 'must be true or false' })
  DATABASE_MIGRATE_ON_START = true;

  @EnvVar({ description: 'Longest a single SQL statement may run, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 30_000;

  @EnvVar({ description: 'Partitions whose batches are written concurrently (each in its own transaction).' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(64)
  CONSUMER_PARTITIONS_CONCURRENTLY = 3;

  @EnvVar({ description: 'Most records written in one transaction.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(5_000)
  CONSUMER_MAX_BATCH_RECORDS = 1_000;

  @EnvVar({
    description:
      'Longest wait between two attempts at a batch while PostgreSQL is unavailable, in ms (backoff with jitter).',
  })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(300_000)
  CONSUMER_RETRY_MAX_DELAY_MS = 15_000;

  @EnvVar({
    description: 'Country assumed for a phone number without a country code in an erasure request.',
  })
  @IsIn(getCountries())
  PHONE_DEFAULT_COUNTRY: CountryCode = 'US';
}

export function loadPersistenceConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadConfig(
    {
      persistence: PersistenceConfig,
      http: HttpConfig,
      logging: LoggingConfig,
      tracing: TracingConfig,
      ...CONSUMER_RUNNER_CONFIG,
      database: DatabaseConfig,
    },
    env,
  );
  if (
    env['NODE_ENV'] === 'production' &&
    new OperatorTokenStore(config.persistence.OPERATOR_TOKENS).includesAny(PUBLISHED_OPERATOR_TOKEN_HASHES)
  ) {
    throw new ConfigError([
      'OPERATOR_TOKENS: lists a token published in this repository (a local or demo default); production needs tokens of its own.',
    ]);
  }
  return config;
}

export type PersistenceAppConfig = ReturnType<typeof loadPersistenceConfig>;
