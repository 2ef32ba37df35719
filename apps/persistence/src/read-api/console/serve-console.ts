import type { NestExpressApplication } from '@nestjs/platform-express';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

type Next = (error?: unknown) => void;

export const CONSOLE_PATH = '/console';

// Recharts sets style attributes, hence 'unsafe-inline' for styles only; no script but the bundle's.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The operator console's build (apps/console) under /console of the read API: same origin, so no CORS and
 * no deployment of its own. Its files are public; every API call still needs an operator token. Paths that
 * are not files are the console's own routes (`/console/leads/...`) and get its index.html.
 */
export function serveConsole(app: NestExpressApplication, directory: string): void {
  const security = (_request: IncomingMessage, response: ServerResponse, next: Next) => {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
  app.use(CONSOLE_PATH, security);
  app.useStaticAssets(directory, { prefix: `${CONSOLE_PATH}/`, index: false, redirect: false });
  app.use(CONSOLE_PATH, (request: IncomingMessage, response: ServerResponse, next: Next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    readFile(join(directory, 'index.html')).then((page) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : page);
    }, next);
  });
}
