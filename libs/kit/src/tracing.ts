import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type {
  Attributes,
  Context,
  Span,
  SpanOptions,
  TextMapGetter,
  TextMapSetter,
} from '@opentelemetry/api';

export { SpanKind };
export type { Attributes as SpanAttributes, Context as TraceContext };

/**
 * Spans of a message's path (webhook → bus → router → console, and the reply out through a
 * provider), on the OpenTelemetry API. Off unless an exporter was started (tracing-sdk.ts): then
 * every helper here is one boolean test and a direct call, so the hot path costs nothing.
 * Attributes carry ids, channels and codes only, never a body, an address or an error message
 * (which could quote one).
 */
let enabled = false;
const tracer = () => trace.getTracer('omnigate');

/** True once a tracer provider with an exporter is registered in this process. */
export function tracingEnabled(): boolean {
  return enabled;
}

/** Called by the SDK bootstrap (or a test) once its provider is registered; false again on stop. */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
}

export interface InSpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent, e.g. extracted from a message's headers; default: the active span. */
  parent?: Context;
}

/** Runs `work` inside a new span (active for everything it calls); its failure marks the span. */
export function inSpan<T>(name: string, work: () => Promise<T>, opts?: InSpanOptions): Promise<T> {
  if (!enabled) return work();
  const options: SpanOptions = { kind: opts?.kind, attributes: opts?.attributes };
  const parent = opts?.parent ?? context.active();
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work();
    } catch (e) {
      markFailed(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

/** `inSpan` for synchronous work (a socket emit). */
export function inSpanSync<T>(name: string, work: () => T, opts?: InSpanOptions): T {
  if (!enabled) return work();
  const options: SpanOptions = { kind: opts?.kind, attributes: opts?.attributes };
  return tracer().startActiveSpan(name, options, opts?.parent ?? context.active(), (span) => {
    try {
      return work();
    } catch (e) {
      markFailed(span, e);
      throw e;
    } finally {
      span.end();
    }
  });
}

/** Only the stable code and the class: an error's message may quote what a customer wrote. */
function markFailed(span: Span, e: unknown): void {
  const code = (e as { code?: unknown } | null)?.code;
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof code === 'string' ? code : '' });
  span.setAttribute('error.type', typeof code === 'string' ? code : errorName(e));
}

function errorName(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

/** Header carriers: NATS headers (get/set/keys), or a plain record. */
export interface HeaderCarrier {
  get(key: string): string;
  set(key: string, value: string): void;
  keys(): string[];
}

const setter: TextMapSetter<HeaderCarrier> = { set: (c, k, v) => c.set(k, v) };
const getter: TextMapGetter<HeaderCarrier | undefined> = {
  get: (c, k) => c?.get(k) || undefined,
  keys: (c) => c?.keys() ?? [],
};

/** Writes the active span's `traceparent` (W3C) into outgoing headers; nothing when off. */
export function injectTraceContext(carrier: HeaderCarrier): void {
  if (!enabled) return;
  propagation.inject(context.active(), carrier, setter);
}

/** The remote parent named by incoming headers (or the active context when they name none). */
export function extractTraceContext(carrier: HeaderCarrier | undefined): Context {
  return propagation.extract(context.active(), carrier, getter);
}

/** `traceId` and `spanId` of the active span, for log lines; empty when off or outside a span. */
export function activeTraceFields(): { traceId?: string; spanId?: string } {
  if (!enabled) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
