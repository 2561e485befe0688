import { Injectable } from '@nestjs/common';
import { headers as natsHeaders } from 'nats';
import type { z } from 'zod';
import { counter, histogram } from '@omnigate/kit';
import { NatsConnection } from './nats-connection';
import { BusPermissionError, BusUnavailableError, isPermissionError } from './bus.errors';
import { tracePublish } from './trace-context';

export interface PublishOptions {
  /** Nats-Msg-Id: JetStream drops a second publish with the same id inside the dedupe window. */
  msgId: string;
  headers?: Record<string, string>;
}

export interface PublishAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

const published = counter('omnigate_bus_published_total', 'JetStream publishes', [
  'plane',
  'result',
]);
const publishSeconds = histogram(
  'omnigate_bus_publish_seconds',
  'JetStream publish latency until ack',
  ['plane'],
);

/** Validates at the producer, publishes on JetStream and resolves only once the server stored it. */
@Injectable()
export class BusPublisher {
  constructor(private readonly conn: NatsConnection) {}

  async publish<S extends z.ZodType>(
    subject: string,
    schema: S,
    payload: z.input<S>,
    opts: PublishOptions,
  ): Promise<PublishAck> {
    const body = schema.parse(payload);
    const plane = subject.split('.', 2).join('.');
    const js = this.conn.jetstream();
    const h = natsHeaders();
    for (const [k, v] of Object.entries(opts.headers ?? {})) h.set(k, v);
    const end = publishSeconds.startTimer({ plane });
    try {
      const data = Buffer.from(JSON.stringify(body));
      const timeout = this.conn.options.publishTimeoutMs ?? 3000;
      const ack = await tracePublish(subject, h, () =>
        js.publish(subject, data, { msgID: opts.msgId, headers: h, timeout }),
      );
      published.inc({ plane, result: ack.duplicate ? 'duplicate' : 'stored' });
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (e) {
      if (isPermissionError(e)) {
        published.inc({ plane, result: 'refused' });
        throw new BusPermissionError(`this NATS user may not publish on ${subject}`, e);
      }
      published.inc({ plane, result: 'error' });
      throw new BusUnavailableError(`JetStream did not acknowledge the publish on ${plane}`, e);
    } finally {
      end();
    }
  }

  /** Core NATS, fire-and-forget: only for ephemeral signals (typing, pushes between instances). */
  publishEphemeral(subject: string, payload: unknown): void {
    this.conn.connection().publish(subject, Buffer.from(JSON.stringify(payload)));
  }
}
