import type { DatabaseConfig } from '@lead-delivery/config';
import { DataSource } from 'typeorm';
import { CrmDeliveryEntity } from './entities/crm-delivery.entity';
import { LeadEventEntity } from './entities/lead-event.entity';
import { LeadEntity } from './entities/lead.entity';
import { PersonEntity } from './entities/person.entity';
import { CreateLeadHistory1764300000000 } from './migrations/1764300000000-create-lead-history.migration';
import { ScopeLeadsByAccount1765500000000 } from './migrations/1765500000000-scope-leads-by-account.migration';
import { CreateErasureRequests1766000000000 } from './migrations/1766000000000-create-erasure-requests.migration';
import { IndexEnrichedLeadsOnly1767100000000 } from './migrations/1767100000000-index-enriched-leads-only.migration';

// Listed, not globbed: the webpack bundle has no entity or migration files to find at run time.
export const PERSISTENCE_ENTITIES = [LeadEntity, LeadEventEntity, CrmDeliveryEntity, PersonEntity];
export const PERSISTENCE_MIGRATIONS = [
  CreateLeadHistory1764300000000,
  ScopeLeadsByAccount1765500000000,
  CreateErasureRequests1766000000000,
  IndexEnrichedLeadsOnly1767100000000,
];

/** The gateway keeps its own migrations in the same database; each app has its own history table. */
export const MIGRATIONS_TABLE = 'persistence_migrations';

export interface DataSourceSettings {
  statementTimeoutMs: number;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** An idle pooled connection failed (e.g. the server restarted); the pool replaces it. */
  onPoolError?: (error: Error) => void;
}

/** The persistence service's DataSource (not yet initialised). The schema only ever changes through migrations. */
export function createPersistenceDataSource(
  database: DatabaseConfig,
  { statementTimeoutMs, applicationName, onPoolError }: DataSourceSettings,
): DataSource {
  return new DataSource({
    type: 'postgres',
    url: database.DATABASE_URL,
    entities: PERSISTENCE_ENTITIES,
    migrations: PERSISTENCE_MIGRATIONS,
    migrationsTableName: MIGRATIONS_TABLE,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: database.DATABASE_POOL_SIZE,
    applicationName,
    connectTimeoutMS: 5_000,
    ...(onPoolError ? { poolErrorHandler: onPoolError } : {}),
    extra: { statement_timeout: statementTimeoutMs },
  });
}
