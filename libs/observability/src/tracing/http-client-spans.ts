import { SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** What replaces every query parameter's value, as the HTTP semantic conventions suggest. */
export const REDACTED = 'REDACTED';

/** The HTTP client spans of a process; `disable()` stops them. */
export interface HttpClientInstrumentation {
  disable(): void;
}

/**
 * A client span for each HTTP request, made with Node's fetch (undici) or with node:http (the connectors'
 * CRM calls, the HubSpot SDK on its agent), a child of the span active when it is made; a request made
 * outside a trace gets none. Query values can hold contact data (a search by email, a SOQL
 * `WHERE Email = ...`), so `url.full` and `url.query` keep the parameters' names only. Enabled on creation.
 */
export function httpClientInstrumentation(): HttpClientInstrumentation {
  const undici = new UndiciInstrumentation({
    requireParentforSpans: true,
    // Its attributes replace the instrumentation's own before the span starts.
    startSpanHook: (request) => {
      const url = withoutQueryValues(new URL(request.path, request.origin));
      return { [ATTR_URL_FULL]: url.href, [ATTR_URL_QUERY]: url.search.slice(1) };
    },
  });
  const nodeHttp = nodeHttpClientSpans();
  return {
    disable() {
      undici.disable();
      nodeHttp.disable();
    },
  };
}

/** node:http's client requests as spans, from its diagnostics channels (created, response, error). */
function nodeHttpClientSpans(): HttpClientInstrumentation {
  const spans = new WeakMap<ClientRequest, Span>();
  const created = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const parent = context.active();
    if (!trace.getSpan(parent)) return;
    const url = withoutQueryValues(
      new URL(request.path, `${request.protocol}//${String(request.getHeader('host'))}`),
    );
    const span = trace.getTracer('@lead-delivery/observability').startSpan(
      request.method,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_URL_FULL]: url.href,
          [ATTR_URL_PATH]: url.pathname,
          [ATTR_URL_QUERY]: url.search.slice(1),
          [ATTR_URL_SCHEME]: url.protocol.slice(0, -1),
          [ATTR_SERVER_ADDRESS]: url.hostname,
          [ATTR_SERVER_PORT]: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        },
      },
      parent,
    );
    spans.set(request, span);
    propagation.inject(trace.setSpan(parent, span), request, {
      set: (carrier, key, value) => carrier.setHeader(key, value),
    });
  };
  const answered = (message: unknown) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const span = spans.get(request);
    if (!span) return;
    const status = response.statusCode ?? 0;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 400)
      span.setAttribute(ATTR_ERROR_TYPE, String(status)).setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  };
  const failed = (message: unknown) => {
    const { request, error } = message as { request: ClientRequest; error: NodeJS.ErrnoException };
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute(ATTR_ERROR_TYPE, error.code ?? error.name).setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    spans.delete(request);
  };
  subscribe('http.client.request.created', created);
  subscribe('http.client.response.finish', answered);
  subscribe('http.client.request.error', failed);
  return {
    disable() {
      unsubscribe('http.client.request.created', created);
      unsubscribe('http.client.response.finish', answered);
      unsubscribe('http.client.request.error', failed);
    },
  };
}

/** `url` with the value of each query parameter replaced by {@link REDACTED}, the names kept in order. */
export function withoutQueryValues(url: URL): URL {
  const redacted = new URL(url);
  redacted.search = new URLSearchParams(
    [...url.searchParams.keys()].map((name): [string, string] => [name, REDACTED]),
  ).toString();
  return redacted;
}
