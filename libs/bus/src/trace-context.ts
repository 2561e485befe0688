import { headers as natsHeaders } from 'nats';
import type { MsgHdrs } from 'nats';
import {
  SpanKind,
  extractTraceContext,
  inSpan,
  injectTraceContext,
  tracingEnabled,
} from '@omnigate/kit';
import type { SpanAttributes } from '@omnigate/kit';

/**
 * Trace context across the bus: `traceparent` (W3C) in the NATS headers of every publish and
 * request, a span per hop (publish, process, request, serve), the consumer's parented on the
 * producer's. Everything a handler does runs inside its message's span, so the spans it starts,
 * the messages it publishes and the log lines it writes carry the same trace. Off (no exporter):
 * each helper is a direct call.
 */

const ID_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^.{25,}$/i;

/** A subject as a span name: ids (a conversation's) become `*`, so names stay few. Pure. */
export function subjectTemplate(subject: string): string {
  return subject
    .split('.')
    .map((t) => (ID_TOKEN.test(t) ? '*' : t))
    .join('.');
}

function messagingAttributes(subject: string, extra: SpanAttributes = {}): SpanAttributes {
  return {
    'messaging.system': 'nats',
    'messaging.destination.name': subjectTemplate(subject),
    ...extra,
  };
}

/** A producer span around a JetStream publish; its context goes into the message's headers. */
export function tracePublish<T>(
  subject: string,
  h: MsgHdrs,
  publish: () => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return publish();
  return inSpan(
    `publish ${subjectTemplate(subject)}`,
    () => {
      injectTraceContext(h);
      return publish();
    },
    { kind: SpanKind.PRODUCER, attributes: messagingAttributes(subject) },
  );
}

/** A client span around a core-NATS request; `send` gets the headers that carry its context. */
export function traceRequest<T>(
  subject: string,
  send: (h: MsgHdrs | undefined) => Promise<T>,
): Promise<T> {
  if (!tracingEnabled()) return send(undefined);
  return inSpan(
    `request ${subjectTemplate(subject)}`,
    () => {
      const h = natsHeaders();
      injectTraceContext(h);
      return send(h);
    },
    { kind: SpanKind.CLIENT, attributes: messagingAttributes(subject) },
  );
}

export type Delivery = 'process' | 'serve' | 'broadcast';

/**
 * The span of one delivery's handling (a durable consumer's try, a served request, a broadcast),
 * child of the span that published it when its headers say which.
 */
export function traceDelivery<T>(
  delivery: Delivery,
  name: string,
  msg: { subject: string; headers?: MsgHdrs },
  handle: () => Promise<T>,
  attributes: SpanAttributes = {},
): Promise<T> {
  if (!tracingEnabled()) return handle();
  return inSpan(`${delivery} ${name}`, handle, {
    kind: delivery === 'serve' ? SpanKind.SERVER : SpanKind.CONSUMER,
    parent: extractTraceContext(msg.headers),
    attributes: messagingAttributes(msg.subject, attributes),
  });
}
