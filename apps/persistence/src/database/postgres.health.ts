import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Readiness check: PostgreSQL answers a query through the pool. */
@Injectable()
export class PostgresHealthCheck {
  readonly name = 'postgres';

  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<Record<string, unknown>> {
    const startedAt = Date.now();
    await this.dataSource.query('SELECT 1');
    return { latencyMs: Date.now() - startedAt };
  }
}
