import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IntFromEnv } from './env-transforms';
import { EnvVar } from './env-var.decorator';

/** PostgreSQL connection, shared by every app that keeps state (the gateway's outbox, persistence). */
export class DatabaseConfig {
  @EnvVar({
    description: 'PostgreSQL connection URL.',
    secret: true,
    example: 'postgres://lead_delivery:secret@postgres:5432/lead_delivery',
  })
  @IsString()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  @EnvVar({ description: 'Maximum connections in the pool of one process.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;
}
