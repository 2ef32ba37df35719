import { BadRequestException, Injectable, type NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { crmOfPath } from './crm';
import type { SandboxRequest } from './sandbox-request';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads and parses request bodies (JSON and forms). Nest's body parser is off because a malformed body must
 * be answered in the shape of the CRM it was sent to: for CRM paths a parse failure is kept on the request
 * for that; the sandbox's own endpoints answer it with 400 here.
 */
@Injectable()
export class BodyMiddleware implements NestMiddleware {
  async use(req: SandboxRequest, _res: ServerResponse, next: () => void): Promise<void> {
    const text = await readText(req);
    if (text === undefined) {
      req.bodyError = `request body larger than ${MAX_BODY_BYTES} bytes`;
    } else if (text.length > 0) {
      parseInto(req, text);
    }
    if (req.bodyError && !crmOfPath(req.originalUrl))
      throw new BadRequestException([`body: ${req.bodyError}`]);
    next();
  }
}

function parseInto(req: SandboxRequest, text: string): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    req.body = Object.fromEntries(new URLSearchParams(text));
    return;
  }
  if (type === '' || type === 'application/json' || type.endsWith('+json')) {
    try {
      req.body = JSON.parse(text);
    } catch (error) {
      req.bodyError = (error as Error).message;
    }
    return;
  }
  req.bodyError = `unsupported content type ${type}`;
}

async function readText(req: SandboxRequest): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
