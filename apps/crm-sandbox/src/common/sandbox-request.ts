import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Crm } from './crm';

export type FaultKind = 'outage' | 'burst' | 'error-rate' | 'rate-limit' | 'daily-limit' | 'token-expired';

/** What the sandbox learnt about one CRM call while serving it; the request log records it. */
export interface SandboxContext {
  crm?: Crm;
  tenant?: string;
  endpoint?: string;
  fault?: FaultKind;
  latencyMs?: number;
  records?: number;
}

/** The parts of Express's request the sandbox uses (Express 5 ships no types here). */
export interface SandboxRequest extends IncomingMessage {
  originalUrl: string;
  path: string;
  protocol: string;
  query: Record<string, unknown>;
  params: Record<string, string>;
  body?: unknown;
  /** Set when the body could not be parsed; CRM endpoints answer it in their own error shape. */
  bodyError?: string;
  sandbox?: SandboxContext;
}

export function sandboxContext(req: SandboxRequest): SandboxContext {
  req.sandbox ??= {};
  return req.sandbox;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

export function sendNoContent(res: ServerResponse): void {
  res.statusCode = 204;
  res.end();
}

/** `text/html` with no charset: jsforce recognises an HTML error page only by that exact content type. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html');
  res.end(html);
}

/** A query parameter as one string (Express gives arrays for repeated parameters). */
export function queryString(req: SandboxRequest, name: string): string | undefined {
  const value = req.query[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export const sleep = (ms: number) =>
  ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
