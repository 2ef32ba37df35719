import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from './problem-details.filter';
import type { Problem } from './problem.exception';

/** What body-parser's errors carry (http-errors): the status it would answer with. */
interface BodyParserError extends Error {
  status?: number;
}

/**
 * Express error handler placed right after the JSON body parser: a body it cannot read (malformed JSON,
 * too large, wrong charset) is answered as an RFC 9457 problem like every other refusal of the read API.
 * Nest's exception filters never see these, since the parser fails before routing.
 */
export function unreadableBodyProblem(
  error: BodyParserError,
  request: IncomingMessage & { originalUrl?: string },
  response: ServerResponse,
  next: (error: unknown) => void,
): void {
  const status = error.status ?? 0;
  if (status < 400 || status >= 500) return next(error);
  const problem: Problem & { instance: string } = {
    type: 'about:blank',
    title: status === 413 ? 'Payload Too Large' : 'Bad Request',
    status,
    detail: status === 413 ? 'the request body is too large' : 'the request body is not valid JSON',
    instance: request.originalUrl ?? request.url ?? '',
  };
  response.writeHead(status, { 'Content-Type': PROBLEM_CONTENT_TYPE }).end(JSON.stringify(problem));
}
