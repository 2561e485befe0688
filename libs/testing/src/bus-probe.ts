import { BusPublisher, NatsConnection } from '@omnigate/bus';
import { OutboundMessageV1Schema, Subjects, outboundMsgId } from '@omnigate/contracts';
import type { Channel, DeliveryStatusV1, OutboundMessageV1 } from '@omnigate/contracts';
import { outboundMessage } from './factories/outbound-message.factory';
import { pollUntil } from './poll-until';
import { subjectMatches } from './subject-match';

/**
 * A bus client standing in for the router in a gateway's tests: reads what went over the bus,
 * publishes what the router would. `probe` is a Nest testing module with BusModule imported.
 */
export interface BusProbe {
  get<T>(type: abstract new (...args: never[]) => T): T;
}

/**
 * Every message stored on one subject of a stream, or on the subjects a wildcard filter matches
 * (`msg.in.v1.sms.*`), parsed: what actually went over the bus.
 */
export async function readSubject<T>(
  probe: BusProbe,
  stream: string,
  subject: string,
): Promise<T[]> {
  const conn = probe.get(NatsConnection);
  // After a test stopped and restarted NATS, the probe reconnects on its own schedule.
  await pollUntil(() => conn.isConnected(), {
    what: "the probe's NATS connection",
    timeoutMs: 20_000,
  });
  const jsm = await conn.manager();
  const info = await jsm.streams.info(stream).catch(() => null);
  const out: T[] = [];
  if (!info) return out;
  for (
    let seq = info.state.first_seq;
    info.state.messages > 0 && seq <= info.state.last_seq;
    seq++
  ) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m || !subjectMatches(subject, m.subject)) continue;
    out.push(JSON.parse(Buffer.from(m.data).toString('utf8')) as T);
  }
  return out;
}

/** The delivery statuses a gateway published for one outbound message, in order. */
export async function statusesOf(
  probe: BusProbe,
  channel: Channel,
  messageId: string,
): Promise<DeliveryStatusV1[]> {
  const all = await readSubject<DeliveryStatusV1>(probe, 'MSG_STATUS', Subjects.status(channel));
  return all.filter((s) => s.messageId === messageId);
}

export function waitForStatus(
  probe: BusProbe,
  channel: Channel,
  messageId: string,
  state: DeliveryStatusV1['state'],
): Promise<DeliveryStatusV1> {
  return pollUntil(
    async () => (await statusesOf(probe, channel, messageId)).find((s) => s.state === state),
    { timeoutMs: 15_000, what: `${state} status of ${messageId}` },
  );
}

/** What the router would publish for an agent's reply on `channel`. */
export async function publishOutbound(
  probe: BusProbe,
  channel: Channel,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): Promise<OutboundMessageV1> {
  const msg = outboundMessage(channel, to, text, over);
  await probe.get(BusPublisher).publish(Subjects.outbound(channel), OutboundMessageV1Schema, msg, {
    msgId: outboundMsgId(msg.messageId),
  });
  return msg;
}

/** An app's management server (where /metrics is), or its base URL. */
export type MetricsSource = string | { managementUrl: string | null };

/** The base URL of `source`'s /metrics: an app started without a management port has none. */
export function metricsUrl(source: MetricsSource): string {
  if (typeof source === 'string') return source;
  if (source.managementUrl === null) throw new Error('this app has no management port (metrics)');
  return source.managementUrl;
}

/** Sum of a Prometheus metric's samples at `source`'s /metrics whose labels include `labels`. */
export async function metricValue(
  source: MetricsSource,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${metricsUrl(source)}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    if (want.every((w) => line.includes(w))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
