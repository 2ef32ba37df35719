import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { httpClientInstrumentation } from './http-client-spans';
import { traceSampler } from './trace-sampler';
import type { OtlpProtocol, TracingConfig } from './tracing.config';

export interface TracingOptions {
  /** A client span for each request made with Node's fetch inside a trace (e.g. the connectors' CRM calls). */
  httpClientSpans?: boolean;
}

let registered: { provider: TracerProvider; instrumentation?: UndiciInstrumentation } | undefined;

/**
 * Registers the process' tracer provider, an AsyncLocalStorage context manager and the W3C trace context
 * and baggage propagators when an OTLP endpoint is configured; spans are batched to the OTLP collector.
 * Otherwise registers nothing: the OpenTelemetry API stays a no-op, and spans cost what its non-recording
 * spans cost. Returns whether tracing is on.
 */
export function startTracing(
  serviceName: string,
  config: TracingConfig,
  options: TracingOptions = {},
): boolean {
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || config.OTEL_SDK_DISABLED || registered) return registered !== undefined;
  const provider = new TracerProvider({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) win over the app's own name.
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }))
      .merge(detectResources({ detectors: [envDetector] })),
    sampler: traceSampler(config),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: otlpExporter(config.OTEL_EXPORTER_OTLP_PROTOCOL),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  registered = {
    provider,
    instrumentation: options.httpClientSpans ? httpClientInstrumentation() : undefined,
  };
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

// The exporters read the endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables.
function otlpExporter(protocol: OtlpProtocol): SpanExporter {
  return protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}
