import { EnvVar, IntFromEnv } from '@lead-delivery/config';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

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
}
