import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Crm } from './crm';
import type { CrmEndpointName } from './crm-endpoint.decorator';

export type FaultKind =
  'outage' | 'burst' | 'error-rate' | 'rate-limit' | 'daily-limit' | 'token-expired' | 'lost-answer';

/** What the sandbox learnt about one CRM call while serving it; the request log records it. */
export interface SandboxContext {
  crm?: Crm;
  tenant?: string;
  endpoint?: CrmEndpointName;
  fault?: FaultKind;
  latencyMs?: number;
  records?: number;
  /** Set when the call's answer is to be lost: the connection is closed this long after the call was carried out. */
  loseAnswerAfterMs?: number;
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

/**
 * True when the answer must not reach the client (the `lost-answers` fault): the call has been carried out,
 * the status is kept for the request log, and the connection is closed without a response.
 */
function answerLost(res: ServerResponse, status: number): boolean {
  const afterMs = (res.req as SandboxRequest | undefined)?.sandbox?.loseAnswerAfterMs;
  if (afterMs === undefined) return false;
  res.statusCode = status;
  const timer = setTimeout(() => res.destroy(), afterMs);
  res.once('close', () => clearTimeout(timer));
  return true;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (answerLost(res, status)) return;
  const payload = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json;charset=UTF-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.end(payload);
}

export function sendNoContent(res: ServerResponse): void {
  if (answerLost(res, 204)) return;
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
  if (answerLost(res, status)) return;
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
