import { BooleanFromEnv, EnvVar, IntFromEnv, NumberFromEnv } from '@lead-delivery/config';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export const TRACES_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;

const COLLECTOR_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * OpenTelemetry tracing of every app, under the names the OpenTelemetry SDKs read. Tracing is on only when
 * an OTLP endpoint is set. The exporter and resource variables are validated here and read by the SDK
 * itself; the trace SDK 3.x reads no environment, so the sampler and batching ones are applied from here.
 */
export class TracingConfig {
  @EnvVar({
    description:
      'Base URL of an OTLP/HTTP collector; spans go to `<url>/v1/traces`. Tracing is off when neither this ' +
      'nor OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.',
    example: 'http://otel-collector.observability:4318',
  })
  @IsOptional()
  @IsUrl(COLLECTOR_URL)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @EnvVar({
    description: 'Full URL spans are posted to; takes precedence over OTEL_EXPORTER_OTLP_ENDPOINT.',
    example: 'http://otel-collector.observability:4318/v1/traces',
  })
  @IsOptional()
  @IsUrl(COLLECTOR_URL)
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @EnvVar({ description: 'OTLP encoding: `http/protobuf` or `http/json` (gRPC is not supported).' })
  @IsIn(OTLP_PROTOCOLS)
  OTEL_EXPORTER_OTLP_PROTOCOL: OtlpProtocol = 'http/protobuf';

  @EnvVar({
    description: 'Headers sent with every export, `key=value,key=value` (e.g. the collector’s credentials).',
    secret: true,
  })
  @IsOptional()
  @IsString()
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @EnvVar({
    description:
      'Which traces are recorded. The default follows the caller’s decision and records every trace the ' +
      'platform starts; `parentbased_traceidratio` with OTEL_TRACES_SAMPLER_ARG keeps a share of them.',
  })
  @IsIn(TRACES_SAMPLERS)
  OTEL_TRACES_SAMPLER: (typeof TRACES_SAMPLERS)[number] = 'parentbased_always_on';

  @EnvVar({ description: 'Share of traces the `*traceidratio` samplers keep, from 0 to 1.' })
  @IsOptional()
  @NumberFromEnv()
  @IsNumber()
  @Min(0)
  @Max(1)
  OTEL_TRACES_SAMPLER_ARG?: number;

  @EnvVar({ description: 'Longest a finished span waits before its batch is exported, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(0)
  OTEL_BSP_SCHEDULE_DELAY = 5_000;

  @EnvVar({ description: 'Longest one export may take, in ms.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  OTEL_BSP_EXPORT_TIMEOUT = 30_000;

  @EnvVar({ description: 'Finished spans kept for export; past that, new ones are dropped.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  OTEL_BSP_MAX_QUEUE_SIZE = 2_048;

  @EnvVar({ description: 'Spans sent in one export; at most OTEL_BSP_MAX_QUEUE_SIZE.' })
  @IntFromEnv()
  @IsInt()
  @Min(1)
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE = 512;

  @EnvVar({ description: '`service.name` of the spans; defaults to the app’s name (e.g. `gateway`).' })
  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string;

  @EnvVar({
    description: 'More resource attributes of the spans, `key=value,key=value`.',
    example: 'deployment.environment.name=prod,k8s.namespace.name=lead-delivery',
  })
  @IsOptional()
  @IsString()
  OTEL_RESOURCE_ATTRIBUTES?: string;

  @EnvVar({ description: 'Turns tracing off even when an endpoint is set.' })
  @BooleanFromEnv()
  @IsIn([true, false])
  OTEL_SDK_DISABLED = false;
}
