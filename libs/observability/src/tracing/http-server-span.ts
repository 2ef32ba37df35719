import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  isSpanContextValid,
  propagation,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { IncomingMessage, ServerResponse } from 'node:http';

const tracer = trace.getTracer('@lead-delivery/observability');

type Middleware = (
  request: IncomingMessage & { originalUrl?: string },
  response: ServerResponse,
  next: () => void,
) => void;

/**
 * Nest middleware for the requests of `route` (e.g. `/lead-delivery`): a server span per request, child of
 * the caller's W3C `traceparent` when it sends one, and the active span while the request is handled, so
 * that what the handler sends joins the trace. With tracing off it only calls `next`.
 */
export function traceHttpRoute(route: string): Middleware {
  return (request, response, next) => {
    const method = request.method ?? 'GET';
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER }, parent);
    if (!isSpanContextValid(span.spanContext())) return next(); // no tracer provider registered
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_HTTP_ROUTE]: route,
        [ATTR_URL_PATH]: (request.originalUrl ?? request.url ?? route).split('?')[0],
        [ATTR_URL_SCHEME]: 'http',
      });
      response.once('close', () => {
        const status = response.statusCode;
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        if (!response.writableFinished) span.setAttribute(ATTR_ERROR_TYPE, 'connection_closed');
        else if (status >= 500) {
          span.setAttribute(ATTR_ERROR_TYPE, String(status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      });
    }
    const active = trace.setSpan(parent, span);
    // The request's stream events (the body middleware reads them) run in the request's context too.
    context.bind(active, request);
    context.with(active, next);
  };
}
