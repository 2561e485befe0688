import { z } from 'zod';
import { parseConfig } from './config';

/**
 * The standard OpenTelemetry variables this project reads itself. Tracing is on only when an
 * OTLP endpoint is set; the exporter reads the rest from the process environment as the spec
 * says (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, certificates), the SDK its sampler
 * (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG; default: parent-based, always on).
 */
// An empty variable (a compose file's `KEY=`) means unset, as the spec says.
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

export const TracingEnv = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** Wins over the endpoint above and is used as is (no `/v1/traces` appended). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).optional(),
  /** `none` turns traces off while the endpoint stays set for other signals. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).optional(),
});

export interface TracingSettings {
  /** Where spans are posted (OTLP over HTTP, JSON encoding); null: tracing off. */
  tracesUrl: string | null;
  serviceName: string;
}

/** Pure: the environment → whether and where to export, and under which service name. */
export function tracingSettingsFrom(env: NodeJS.ProcessEnv, serviceName: string): TracingSettings {
  const c = parseConfig(TracingEnv, env);
  const name = c.OTEL_SERVICE_NAME ?? serviceName;
  if (c.OTEL_SDK_DISABLED === 'true' || c.OTEL_TRACES_EXPORTER === 'none') {
    return { tracesUrl: null, serviceName: name };
  }
  const base = c.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  const tracesUrl = c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base ? `${base}/v1/traces` : null);
  return { tracesUrl, serviceName: name };
}
