import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { CrmEndpoint } from '../common/crm-endpoint.decorator';
import { queryString, sandboxContext, sendJson, type SandboxRequest } from '../common/sandbox-request';
import { recordView } from './record-view';
import { SalesforceApiGuard } from './salesforce-api.guard';
import { SalesforceDml } from './salesforce-dml.service';
import { normalizeId } from './salesforce-id';
import { orgOf } from './salesforce-request';
import { SalesforceSessions } from './salesforce-sessions.service';
import { SalesforceStore, type OrgData } from './salesforce-store.service';
import { SalesforceError } from './salesforce.error';
import { parseSoql } from './soql';

/** Records per page unless `Sforce-Query-Options: batchSize=` asks for fewer (at least 200). */
const DEFAULT_BATCH_SIZE = 2_000;
const MIN_BATCH_SIZE = 200;

/**
 * SOQL query (`GET …/query?q=`) in the one shape the sandbox understands (see soql.ts), and the next pages
 * of a large result (`nextRecordsUrl`, `GET …/query/<locator>-<offset>`).
 */
@Controller('services/data/:version/query')
@UseGuards(SalesforceApiGuard)
export class QueryController {
  constructor(
    private readonly dml: SalesforceDml,
    private readonly sessions: SalesforceSessions,
    private readonly store: SalesforceStore,
  ) {}

  @Get()
  @CrmEndpoint('salesforce.query')
  query(@Req() req: SandboxRequest, @Res() res: ServerResponse): void {
    const org = orgOf(req, this.sessions, this.store);
    const soql = queryString(req, 'q');
    if (soql === undefined || soql.trim() === '') {
      throw SalesforceError.of(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    }
    const { type, fields, filter, ids } = parseSoql(soql, (name) => this.dml.schema(name));
    const schema = this.dml.schema(type);
    const version = req.params['version'] ?? '';
    const records = org
      .ofType(type)
      .filter((record) => {
        const value = filter.name === 'Id' ? record.Id : record.fields[filter.name];
        return typeof value === 'string' && ids.has(normalizeId(value) ?? '');
      })
      .map((record) => {
        const { attributes, ...all } = recordView(schema, record, org, version) as Record<string, unknown>;
        return { attributes, ...Object.fromEntries(fields.map(({ name }) => [name, all[name] ?? null])) };
      });
    this.sendPage(req, res, org, records, undefined, 0);
  }

  @Get(':locator')
  @CrmEndpoint('salesforce.query.more')
  more(@Req() req: SandboxRequest, @Res() res: ServerResponse, @Param('locator') locator: string): void {
    const org = orgOf(req, this.sessions, this.store);
    const [, cursorId = '', offset = ''] = /^([A-Za-z0-9]{18})-(\d+)$/.exec(locator) ?? [];
    const cursor = org.cursor(cursorId, Date.now());
    if (!cursor || Number(offset) >= cursor.records.length) {
      throw SalesforceError.of(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    this.sendPage(req, res, org, cursor.records, cursorId, Number(offset));
  }

  private sendPage(
    req: SandboxRequest,
    res: ServerResponse,
    org: OrgData,
    records: unknown[],
    cursorId: string | undefined,
    offset: number,
  ): void {
    const page = records.slice(offset, offset + batchSizeOf(req));
    const next = offset + page.length;
    const done = next >= records.length;
    let nextRecordsUrl: string | undefined;
    if (done) {
      if (cursorId) org.closeCursor(cursorId);
    } else {
      const id = cursorId ?? org.openCursor(records, Date.now());
      nextRecordsUrl = `/services/data/${req.params['version'] ?? ''}/query/${id}-${next}`;
    }
    sandboxContext(req).records = page.length;
    sendJson(res, 200, {
      totalSize: records.length,
      done,
      ...(nextRecordsUrl ? { nextRecordsUrl } : {}),
      records: page,
    });
  }
}

/** `Sforce-Query-Options: batchSize=N`: 200–2,000, a request Salesforce may round up; anything else is ignored. */
function batchSizeOf(req: SandboxRequest): number {
  const header = String(req.headers['sforce-query-options'] ?? '');
  const asked = Number(/batchSize\s*=\s*(\d+)/i.exec(header)?.[1]);
  if (!Number.isInteger(asked)) return DEFAULT_BATCH_SIZE;
  return Math.min(DEFAULT_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, asked));
}
