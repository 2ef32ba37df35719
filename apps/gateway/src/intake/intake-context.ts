import type { IncomingMessage } from 'node:http';
import type { Account } from '../accounts/account';

/** What LeadIntakeMiddleware learned about a request, for the controller. */
export interface IntakeContext {
  account: Account;
  body?: Buffer;
}

const contexts = new WeakMap<IncomingMessage, IntakeContext>();

/** Fastify hands Nest middleware the Node request and the controller a wrapper; Express uses one object. */
export function nodeRequestOf(request: IncomingMessage | { raw: IncomingMessage }): IncomingMessage {
  return 'raw' in request ? request.raw : request;
}

export function setIntakeContext(request: IncomingMessage, context: IntakeContext): void {
  contexts.set(request, context);
}

export function intakeContextOf(request: IncomingMessage | { raw: IncomingMessage }): IntakeContext {
  const context = contexts.get(nodeRequestOf(request));
  if (!context) throw new Error('the intake middleware did not run for this request');
  return context;
}
