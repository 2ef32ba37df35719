import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { OtlpProtocol, TracingConfig } from './tracing.config';

let registered: NodeTracerProvider | undefined;

/**
 * Registers the process' tracer provider (W3C trace context, AsyncLocalStorage context, spans batched to
 * the OTLP collector) when an OTLP endpoint is configured. Otherwise registers nothing: the OpenTelemetry
 * API stays a no-op, and spans cost what its non-recording spans cost. Returns whether tracing is on.
 */
export function startTracing(serviceName: string, config: TracingConfig): boolean {
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || config.OTEL_SDK_DISABLED || registered) return registered !== undefined;
  const provider = new NodeTracerProvider({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) win over the app's own name.
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [new BatchSpanProcessor(otlpExporter(config.OTEL_EXPORTER_OTLP_PROTOCOL))],
  });
  provider.register();
  registered = provider;
  return true;
}

/**
 * Exports the spans that have ended and unregisters the provider (the API is a no-op again); nothing to do
 * when tracing is off. Runs at shutdown, after the consumers and producers have stopped.
 */
export async function stopTracing(): Promise<void> {
  const provider = registered;
  if (!provider) return;
  registered = undefined;
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

// The exporters read the endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables.
function otlpExporter(protocol: OtlpProtocol): SpanExporter {
  return protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}
