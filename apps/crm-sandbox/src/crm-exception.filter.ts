import {
  Catch,
  HttpException,
  type ArgumentsHost,
  type ExceptionFilter,
  type LoggerService,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { crmOfPath } from './common/crm';
import { CrmHttpError } from './common/crm-http-error';
import { sendHtml, sendJson, type SandboxRequest } from './common/sandbox-request';
import { HubspotError, objectNotFound } from './hubspot/hubspot.error';
import { resourceNotFound, unknownException } from './salesforce/salesforce.error';

/**
 * Answers errors in the shape of the CRM the call was for (a Salesforce error array, a HubSpot error object),
 * including unknown paths and unexpected failures; the sandbox's own endpoints answer Nest's usual JSON.
 */
@Catch()
export class CrmExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<SandboxRequest>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    if (res.headersSent) return;
    const crm = crmOfPath(req.originalUrl.split('?')[0] ?? '');
    const unexpected = !(exception instanceof CrmHttpError) && !(exception instanceof HttpException);
    if (unexpected)
      this.logger.error(
        { message: 'unexpected error', error: String(exception), path: req.path },
        'CrmExceptionFilter',
      );

    let error: CrmHttpError | undefined;
    if (exception instanceof CrmHttpError) error = exception;
    else if (crm === 'salesforce') error = unexpected ? unknownException() : resourceNotFound();
    else if (crm === 'hubspot') {
      error = unexpected
        ? new HubspotError(500, 'internal error', { category: 'INTERNAL_ERROR' })
        : objectNotFound();
    }

    if (error) {
      const body = error.body();
      if (error.html) sendHtml(res, error.status, String(body), error.headers);
      else sendJson(res, error.status, body, error.headers);
    } else if (exception instanceof HttpException) {
      const response = exception.getResponse();
      sendJson(
        res,
        exception.getStatus(),
        typeof response === 'string' ? { statusCode: exception.getStatus(), message: response } : response,
      );
    } else {
      sendJson(res, 500, { statusCode: 500, message: 'Internal server error' });
    }
  }
}
