import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '@opentelemetry/semantic-conventions';

/** What replaces every query parameter's value, as the HTTP semantic conventions suggest. */
export const REDACTED = 'REDACTED';

/**
 * A client span for each request made with Node's fetch (undici), a child of the span active when it is
 * made; a request made outside a trace gets none. Query values can hold contact data (a search by email,
 * a SOQL `WHERE Email = ...`), so `url.full` and `url.query` keep the parameters' names only.
 * Enabled on creation; `disable()` stops it.
 */
export function httpClientInstrumentation(): UndiciInstrumentation {
  return new UndiciInstrumentation({
    requireParentforSpans: true,
    // Its attributes replace the instrumentation's own before the span starts.
    startSpanHook: (request) => {
      const url = withoutQueryValues(new URL(request.path, request.origin));
      return { [ATTR_URL_FULL]: url.href, [ATTR_URL_QUERY]: url.search.slice(1) };
    },
  });
}

/** `url` with the value of each query parameter replaced by {@link REDACTED}, the names kept in order. */
export function withoutQueryValues(url: URL): URL {
  const redacted = new URL(url);
  redacted.search = new URLSearchParams(
    [...url.searchParams.keys()].map((name): [string, string] => [name, REDACTED]),
  ).toString();
  return redacted;
}
