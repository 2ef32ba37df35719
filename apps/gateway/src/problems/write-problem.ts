import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemException } from './problem.exception';

/**
 * Answers a problem straight on the Node response. Intake middlewares run before Nest's exception
 * filters are in reach (and under Fastify before Fastify's reply exists), so they answer themselves.
 */
export function writeProblem(
  request: IncomingMessage,
  response: ServerResponse,
  exception: ProblemException,
): void {
  const body = JSON.stringify({ ...exception.problem, instance: (request.url ?? '').split('?')[0] });
  response.writeHead(exception.problem.status, {
    ...exception.headers,
    'Content-Type': 'application/problem+json',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Runs a middleware step; a ProblemException becomes the response, anything else propagates. */
export async function answeringProblems(
  request: IncomingMessage,
  response: ServerResponse,
  step: () => void | Promise<void>,
): Promise<boolean> {
  try {
    await step();
    return true;
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    writeProblem(request, response, error);
    return false;
  }
}
