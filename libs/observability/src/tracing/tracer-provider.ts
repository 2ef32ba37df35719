import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { httpClientInstrumentation, type HttpClientInstrumentation } from './http-client-spans';
import { traceSampler } from './trace-sampler';
import type { OtlpProtocol, TracingConfig } from './tracing.config';

export interface TracingRegistration {
  provider: TracerProvider;
  instrumentation?: HttpClientInstrumentation;
}

/**
 * The OpenTelemetry SDK, loaded by startTracing only when tracing is on. Registers the process' tracer
 * provider (spans batched to the OTLP collector), an AsyncLocalStorage context manager and the W3C trace
 * context and baggage propagators.
 */
export function registerTracerProvider(
  serviceName: string,
  config: TracingConfig,
  { httpClientSpans = false }: { httpClientSpans?: boolean },
): TracingRegistration {
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
  return { provider, instrumentation: httpClientSpans ? httpClientInstrumentation() : undefined };
}

// The exporters read the endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables.
function otlpExporter(protocol: OtlpProtocol): SpanExporter {
  return protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}
