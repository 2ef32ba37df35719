import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { crmOfPath } from '../common/crm';
import { sandboxContext, type SandboxRequest } from '../common/sandbox-request';
import { RequestLog } from './request-log.service';

/** Records every call to a fake CRM when its answer has been sent, or deliberately lost. */
@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  constructor(private readonly log: RequestLog) {}

  use(req: SandboxRequest, res: ServerResponse, next: () => void): void {
    const path = req.originalUrl.split('?')[0] ?? req.originalUrl;
    const crm = crmOfPath(path);
    if (crm) {
      const started = performance.now();
      res.once('close', () => {
        const call = sandboxContext(req);
        if (!res.writableFinished && call.fault !== 'lost-answer') return; // the client went away
        this.log.record({
          at: new Date().toISOString(),
          crm,
          method: req.method ?? 'GET',
          path,
          endpoint: call.endpoint ?? `${crm}.unknown`,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
          ...(call.tenant !== undefined ? { tenant: call.tenant } : {}),
          ...(call.latencyMs ? { latencyMs: call.latencyMs } : {}),
          ...(call.fault ? { fault: call.fault } : {}),
          ...(call.records !== undefined ? { records: call.records } : {}),
        });
      });
    }
    next();
  }
}
