import { Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { setTracingEnabled } from './tracing';
import { tracingSettingsFrom } from './tracing.config';

export interface RunningTracing {
  /** Sends what is buffered (each app's shutdown calls it: flushTracing). */
  flush(): Promise<void>;
  /** Flushes and unregisters: the helpers are off again. */
  stop(): Promise<void>;
}

let running: RunningTracing | null = null;

/**
 * Starts tracing for this process when the environment names an OTLP endpoint (tracing.config.ts):
 * spans batched and posted over HTTP, `traceparent` (W3C) propagated, the active span carried
 * through async calls. Without one nothing is loaded (the SDK takes ~0.3 s to load) and every
 * helper stays a no-op. Once per process: the apps of `npm start` share one provider.
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningTracing | null> {
  if (running) return running;
  const settings = tracingSettingsFrom(env, serviceName);
  if (!settings.tracesUrl) return null;
  const [{ OTLPTraceExporter }, { BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const exporter = new OTLPTraceExporter({ url: settings.tracesUrl });
  return installTracing([new BatchSpanProcessor(exporter)], settings.serviceName);
}

/** Registers a provider with these processors (a test passes an in-memory exporter's). */
export async function installTracing(
  processors: SpanProcessor[],
  serviceName: string,
): Promise<RunningTracing> {
  if (running) throw new Error('tracing is already installed in this process');
  const [{ NodeTracerProvider }, { resourceFromAttributes }, { W3CTraceContextPropagator }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/core'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: processors,
  });
  // traceparent/tracestate only: no baggage header, which could carry anything across the bus.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  setTracingEnabled(true);
  const handle: RunningTracing = {
    flush: () => provider.forceFlush(),
    stop: async () => {
      setTracingEnabled(false);
      running = null;
      await provider.shutdown();
      const { context, propagation, trace } = await import('@opentelemetry/api');
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  running = handle;
  return handle;
}

/** Sends the spans buffered so far; nothing when tracing is off. Never throws. */
export async function flushTracing(): Promise<void> {
  await running?.flush().catch(() => undefined);
}

/** Each app's shutdown sends what its spans left in the buffer before the process ends. */
@Injectable()
export class TracingFlushOnShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return flushTracing();
  }
}
