import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Crm } from '../common/crm';
import type { FaultKind } from '../common/sandbox-request';

/** One CRM call as the sandbox saw it. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  crm: Crm;
  tenant?: string;
  method: string;
  path: string;
  endpoint: string;
  status: number;
  durationMs: number;
  latencyMs?: number;
  fault?: FaultKind;
  records?: number;
}

export interface RequestFilter {
  crm?: string;
  tenant?: string;
  endpoint?: string;
  status?: number;
  /** Only entries after this sequence number. */
  since?: number;
}

export interface EndpointCounts {
  total: number;
  records: number;
  byStatus: Record<string, number>;
  byFault: Record<string, number>;
}

export const REQUEST_LOG_LIMIT = Symbol('REQUEST_LOG_LIMIT');

/** The CRM calls the sandbox served, newest last, bounded (oldest dropped first), with Prometheus counters. */
@Injectable()
export class RequestLog {
  readonly registry = new Registry();
  private entries: RequestLogEntry[] = [];
  private sequence = 0;
  private dropped = 0;
  private readonly logger = new Logger('RequestLog');
  private readonly calls = new Counter({
    name: 'crm_sandbox_requests_total',
    help: 'CRM calls served, by CRM, endpoint, status and injected fault',
    labelNames: ['crm', 'endpoint', 'status', 'fault'],
    registers: [this.registry],
  });
  private readonly records = new Histogram({
    name: 'crm_sandbox_records_per_call',
    help: 'Records per CRM write call',
    labelNames: ['crm', 'endpoint'],
    buckets: [1, 10, 50, 100, 150, 200],
    registers: [this.registry],
  });

  constructor(@Inject(REQUEST_LOG_LIMIT) private readonly limit: number) {
    collectDefaultMetrics({ register: this.registry, prefix: 'crm_sandbox_' });
  }

  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.sequence += 1;
    this.entries.push({ seq: this.sequence, ...entry });
    if (this.entries.length > this.limit) {
      const excess = this.entries.length - this.limit;
      this.entries.splice(0, excess);
      this.dropped += excess;
    }
    this.calls.inc({
      crm: entry.crm,
      endpoint: entry.endpoint,
      status: String(entry.status),
      fault: entry.fault ?? 'none',
    });
    if (entry.records !== undefined)
      this.records.observe({ crm: entry.crm, endpoint: entry.endpoint }, entry.records);
    this.logger.debug({
      crm: entry.crm,
      endpoint: entry.endpoint,
      tenant: entry.tenant,
      status: entry.status,
      fault: entry.fault,
      records: entry.records,
    });
  }

  list(filter: RequestFilter, limit = 1_000): { entries: RequestLogEntry[]; last: number; dropped: number } {
    const matching = this.matching(filter);
    return { entries: matching.slice(0, limit), last: this.sequence, dropped: this.dropped };
  }

  counts(
    filter: RequestFilter,
  ): EndpointCounts & { byEndpoint: Record<string, EndpointCounts>; dropped: number } {
    const total = emptyCounts();
    const byEndpoint: Record<string, EndpointCounts> = {};
    for (const entry of this.matching(filter)) {
      for (const counts of [total, (byEndpoint[entry.endpoint] ??= emptyCounts())]) {
        counts.total += 1;
        counts.records += entry.records ?? 0;
        counts.byStatus[entry.status] = (counts.byStatus[entry.status] ?? 0) + 1;
        if (entry.fault) counts.byFault[entry.fault] = (counts.byFault[entry.fault] ?? 0) + 1;
      }
    }
    return { ...total, byEndpoint, dropped: this.dropped };
  }

  reset(): void {
    this.entries = [];
    this.dropped = 0;
  }

  private matching({ crm, tenant, endpoint, status, since }: RequestFilter): RequestLogEntry[] {
    return this.entries.filter(
      (entry) =>
        (crm === undefined || entry.crm === crm) &&
        (tenant === undefined || entry.tenant === tenant) &&
        (endpoint === undefined || entry.endpoint === endpoint) &&
        (status === undefined || entry.status === status) &&
        (since === undefined || entry.seq > since),
    );
  }
}

const emptyCounts = (): EndpointCounts => ({ total: 0, records: 0, byStatus: {}, byFault: {} });
