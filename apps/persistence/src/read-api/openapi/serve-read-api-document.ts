import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import committedDocument from '../../../read-api.openapi.json';

/** Where the read API serves its own document; no token needed, as it holds no data. */
export const OPENAPI_DOCUMENT_PATH = '/openapi.json';

/**
 * Serves the committed document (a spec fails when it differs from what the controllers generate), so the
 * running service needs only @nestjs/swagger's decorator shim, not its document generator (see
 * apps/persistence/webpack.config.js).
 */
export function serveReadApiDocument(app: INestApplication): void {
  const body = JSON.stringify(committedDocument);
  app.getHttpAdapter().get(OPENAPI_DOCUMENT_PATH, (_request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.end(body);
  });
}
