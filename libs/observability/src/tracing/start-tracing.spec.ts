import { loadConfig } from '@lead-delivery/config';
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { startTracing, stopTracing } from './start-tracing';
import { traceSampler } from './trace-sampler';
import { TracingConfig } from './tracing.config';

const tracingConfig = (env: NodeJS.ProcessEnv) => loadConfig({ tracing: TracingConfig }, env).tracing;

/** What the OpenTelemetry API does now: record spans, keep an active context, propagate traceparent. */
function apiState() {
  const span = trace.getTracer('test').startSpan('probe');
  const recording = span.isRecording();
  const active = context.with(trace.setSpan(ROOT_CONTEXT, span), () => trace.getActiveSpan());
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  // Not ended, so never exported (the OTLP exporter's lazy `import('http')` does not run under Jest).
  return { recording, keepsActiveSpan: active === span, propagates: 'traceparent' in carrier };
}

describe('startTracing', () => {
  afterEach(() => stopTracing());

  it('registers nothing without an OTLP endpoint: the API stays a no-op', async () => {
    expect(await startTracing('gateway', tracingConfig({}))).toBe(false);
    expect(apiState()).toEqual({ recording: false, keepsActiveSpan: false, propagates: false });
  });

  it('registers nothing when OTEL_SDK_DISABLED is set, endpoint or not', async () => {
    const config = tracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_SDK_DISABLED: 'true',
    });
    expect(await startTracing('gateway', config)).toBe(false);
    expect(apiState().recording).toBe(false);
  });

  it.each([
    { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
    { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' },
  ])('registers a provider, context manager and W3C propagator with an endpoint (%o)', async (env) => {
    expect(await startTracing('gateway', tracingConfig(env))).toBe(true);
    expect(apiState()).toEqual({ recording: true, keepsActiveSpan: true, propagates: true });
  });

  it('applies OTEL_TRACES_SAMPLER itself (the trace SDK reads no environment)', async () => {
    const config = tracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    expect(await startTracing('gateway', config)).toBe(true);
    expect(apiState()).toEqual({ recording: false, keepsActiveSpan: true, propagates: true });
  });

  it('unregisters on stop, so the API is a no-op again', async () => {
    await startTracing('gateway', tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }));
    await stopTracing();
    expect(apiState()).toEqual({ recording: false, keepsActiveSpan: false, propagates: false });
  });
});

describe('TracingConfig', () => {
  it('refuses what the SDK would ignore or mistake, naming the variable', () => {
    expect(() =>
      tracingConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_BSP_SCHEDULE_DELAY: 'soon',
      }),
    ).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OTEL_EXPORTER_OTLP_PROTOCOL[\s\S]*OTEL_TRACES_SAMPLER[\s\S]*OTEL_TRACES_SAMPLER_ARG[\s\S]*OTEL_BSP_SCHEDULE_DELAY/,
    );
  });
});

describe('traceSampler', () => {
  it.each([
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, /^ParentBased\{root=AlwaysOnSampler/],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, /^ParentBased\{root=AlwaysOffSampler/],
    [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
      /^ParentBased\{root=TraceIdRatioBased\{0.1\}/,
    ],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio' }, /^TraceIdRatioBased\{1\}$/],
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, /^AlwaysOnSampler$/],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, /^AlwaysOffSampler$/],
  ])('%o', (env, sampler) => {
    expect(traceSampler(tracingConfig(env)).toString()).toMatch(sampler);
  });
});
