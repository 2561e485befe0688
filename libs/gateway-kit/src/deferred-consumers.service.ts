import { Injectable, Logger } from '@nestjs/common';
import { BusConsumers, NatsConnection } from '@omnigate/bus';
import type { ConsumerSpec } from '@omnigate/bus';
import type { z } from 'zod';

const RETRY_MS = 2000;

/**
 * Starts a durable consumer once the streams exist, without holding up the app's start (a gateway
 * may come up before the router created them), and again after a failed start (NATS down): the
 * messages wait on the stream meanwhile. A thin adapter over `BusConsumers.start`, so it can move
 * onto the bus transport later unchanged.
 */
@Injectable()
export class DeferredConsumers {
  private readonly logger = new Logger('gateway-consumers');
  private stopping = false;

  constructor(
    private readonly conn: NatsConnection,
    private readonly consumers: BusConsumers,
  ) {
    conn.onShutdown(() => {
      this.stopping = true;
      return Promise.resolve();
    }, 'deferred consumers');
  }

  /** Resolves once the consumer runs (tests may await it; apps do not). */
  async start<S extends z.ZodType>(spec: ConsumerSpec<S>): Promise<void> {
    try {
      await this.conn.whenStreamsReady();
    } catch {
      return; // the app stopped first
    }
    while (!this.stopping) {
      try {
        await this.consumers.start(spec);
        return;
      } catch (e) {
        this.logger.warn({
          msg: 'consumer not started yet, trying again',
          consumer: spec.durable,
          code: (e as { code?: string }).code,
        });
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }
}
