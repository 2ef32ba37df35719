import { DataSource } from 'typeorm';
import { CreateGatewayOutbox1764200000000 } from './1764200000000-create-gateway-outbox.migration';
import { CreateGatewayDeadOutbox1765600000000 } from './1765600000000-create-gateway-dead-outbox.migration';
import { DeadOutboxEntryEntity } from './dead-outbox-entry.entity';
import { OutboxEntryEntity } from './outbox-entry.entity';

export function createOutboxDataSource(url: string, poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [OutboxEntryEntity, DeadOutboxEntryEntity],
    migrations: [CreateGatewayOutbox1764200000000, CreateGatewayDeadOutbox1765600000000],
    migrationsTableName: 'gateway_migrations',
    poolSize,
    // Fail fast: a lead waits for the outbox only a short, configured time.
    connectTimeoutMS: 2_000,
    extra: { query_timeout: 5_000 },
  });
}
