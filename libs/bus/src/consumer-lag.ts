import { Logger } from '@nestjs/common';
import { gauge } from '@omnigate/kit';
import type { NatsConnection } from './nats-connection';
import { Streams } from './streams';

/** How often JetStream is asked: often enough for an alert, a handful of API calls per app. */
export const LAG_POLL_MS = 5000;

const pending = gauge(
  'omnigate_bus_consumer_pending_messages',
  'Messages in the stream not yet delivered to this consumer (JetStream num_pending)',
  ['stream', 'durable', 'consumer'],
);
const ackPending = gauge(
  'omnigate_bus_consumer_ack_pending_messages',
  'Messages delivered and not yet acknowledged (JetStream num_ack_pending)',
  ['stream', 'durable', 'consumer'],
);
const redelivered = gauge(
  'omnigate_bus_consumer_redelivered_messages',
  'Messages delivered more than once and not yet acknowledged (JetStream num_redelivered)',
  ['stream', 'durable', 'consumer'],
);
const streamMessages = gauge(
  'omnigate_bus_stream_messages',
  'Messages held by a stream (the DLQ: dead letters waiting for an operator)',
  ['stream'],
);

interface Watched {
  stream: string;
  durable: string;
  consumer: string;
}

const logger = new Logger('bus-lag');

/**
 * Consumer lag and redeliveries from JetStream's consumer info, polled while the app runs a
 * consumer; and the dead-letter stream's size (every service may read STREAM.INFO). Each app
 * reads only its own consumers: CONSUMER.INFO of its durables is all its NATS user may ask.
 */
class LagPoller {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly conn: NatsConnection) {}

  add(w: Watched): () => void {
    const id = `${w.stream}/${w.consumer}`;
    this.watched.set(id, w);
    this.timer ??= setInterval(() => void this.poll(), LAG_POLL_MS).unref();
    void this.poll();
    return () => {
      this.watched.delete(id);
      for (const g of [pending, ackPending, redelivered]) g.remove(w.stream, w.durable, w.consumer);
      if (this.watched.size > 0 || !this.timer) return;
      clearInterval(this.timer);
      this.timer = null;
      pollers.delete(this.conn);
    };
  }

  private async poll(): Promise<void> {
    if (!this.conn.isConnected()) return;
    try {
      const jsm = await this.conn.manager();
      for (const w of [...this.watched.values()]) {
        const info = await jsm.consumers.info(w.stream, w.consumer).catch(() => null);
        if (!info) continue;
        const labels = { stream: w.stream, durable: w.durable, consumer: w.consumer };
        pending.set(labels, info.num_pending);
        ackPending.set(labels, info.num_ack_pending);
        redelivered.set(labels, info.num_redelivered);
      }
      const dlq = await jsm.streams.info(Streams.DLQ.name).catch(() => null);
      if (dlq) streamMessages.set({ stream: Streams.DLQ.name }, dlq.state.messages);
    } catch (e) {
      logger.debug({ msg: 'consumer lag not read', error: (e as Error).message });
    }
  }
}

const pollers = new Map<NatsConnection, LagPoller>();

/** Reports `consumer`'s lag until the returned function is called (the consumer stopped). */
export function watchConsumerLag(conn: NatsConnection, w: Watched): () => void {
  let poller = pollers.get(conn);
  if (!poller) {
    poller = new LagPoller(conn);
    pollers.set(conn, poller);
  }
  return poller.add(w);
}
