import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import type { DeadLetterV1 } from '@omnigate/contracts';
import { NatsConnection } from './nats-connection';
import { startDurableConsumer } from './durable-consumer';
import type { ConsumerSpec } from './durable-consumer';

export type { ConsumerSpec, ConsumerTuning, MessageContext } from './durable-consumer';

/** @deprecated name kept for callers: the entry is the DeadLetter v1 contract. */
export type DeadLetterEntry = DeadLetterV1;

/**
 * Durable pull consumers started by hand: no app does any more (every handler is an `@OnStream`
 * method served by BusTransport, with the same semantics); tests still start bare consumers with
 * it. Goes when they no longer do.
 */
@Injectable()
export class BusConsumers {
  constructor(private readonly conn: NatsConnection) {}

  async start<S extends z.ZodType>(spec: ConsumerSpec<S>): Promise<void> {
    const running = await startDurableConsumer(this.conn, spec);
    this.conn.onShutdown(() => running.stop(), `consumer ${spec.durable}`);
  }
}
