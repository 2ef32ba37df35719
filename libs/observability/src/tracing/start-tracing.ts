import { context, propagation, trace } from '@opentelemetry/api';
import type { TracingRegistration } from './tracer-provider';
import type { TracingConfig } from './tracing.config';

export interface TracingOptions {
  /** A client span for each request made with Node's fetch inside a trace (e.g. the connectors' CRM calls). */
  httpClientSpans?: boolean;
}

let registered: TracingRegistration | undefined;

/**
 * Registers the OpenTelemetry SDK (tracer provider, context manager, W3C propagators; see
 * registerTracerProvider) when an OTLP endpoint is configured. Otherwise registers nothing: the
 * OpenTelemetry API stays a no-op, spans cost what its non-recording spans cost, and the SDK is never
 * loaded (about 12 MiB of a service's memory). Returns whether tracing is on.
 */
export async function startTracing(
  serviceName: string,
  config: TracingConfig,
  options: TracingOptions = {},
): Promise<boolean> {
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || config.OTEL_SDK_DISABLED || registered) return registered !== undefined;
  const { registerTracerProvider } = await import('./tracer-provider');
  registered ??= registerTracerProvider(serviceName, config, options);
  return true;
}

/**
 * Exports the spans that have ended and unregisters the provider (the API is a no-op again); nothing to do
 * when tracing is off. Runs at shutdown, after the consumers and producers have stopped.
 */
export async function stopTracing(): Promise<void> {
  const stopping = registered;
  if (!stopping) return;
  registered = undefined;
  stopping.instrumentation?.disable();
  await stopping.provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}
