import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

/** The connector's own PostgreSQL state: the delivery ledger and the shared call budgets. */
export class ConnectorStoreConfig {
  @EnvVar({
    description: 'PostgreSQL connection URL of the connector store (delivery ledger, call budgets).',
    secret: true,
    example: 'postgres://lead_delivery:secret@postgres:5432/lead_delivery',
  })
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  CONNECTOR_DATABASE_URL!: string;

  @EnvVar({ description: 'Maximum connections in the connector store pool of one replica.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(100)
  CONNECTOR_DATABASE_POOL_SIZE = 5;

  @EnvVar({
    description:
      'Longest wait for a connection of the connector store: a free one of the pool, or a new one. Past it the statement fails as an infrastructure failure (retried, nothing committed), in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(120_000)
  CONNECTOR_DATABASE_CONNECT_TIMEOUT_MS = DEFAULT_CONNECT_TIMEOUT_MS;

  @EnvVar({
    description:
      'Longest a connector store statement may run (PostgreSQL statement_timeout; the client gives up 1 s later on a connection that no longer answers). Past it the statement fails as an infrastructure failure (retried, nothing committed), in ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(100)
  @Max(600_000)
  CONNECTOR_DATABASE_STATEMENT_TIMEOUT_MS = DEFAULT_STATEMENT_TIMEOUT_MS;

  @EnvVar({
    description:
      'Days the delivery ledger remembers a lead: at least the longest a lead can come back from a topic (DLQ retention 30 d plus a segment period); an older lead would be written again without a lookup.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  CONNECTOR_LEDGER_RETENTION_DAYS = 45;

  @EnvVar({
    description:
      'Leads stamped earlier than the ledger start plus this margin are looked up in the CRM before a note or Task is written: a version without the ledger (still running during the rollout) may have written them. In ms.',
  })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  CONNECTOR_LEDGER_ROLLOUT_MARGIN_MS = 3_600_000;
}
