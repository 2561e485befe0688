import { Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { NatsConnection } from './nats-connection';

export interface Unsubscribe {
  (): void;
}

/**
 * Broadcast subscriptions on core NATS, by hand: every instance gets every message. Apps declare
 * theirs as `@OnBroadcast` methods instead (console live views, in-app pushes and typing); tests
 * listen with this. Messages published on JetStream subjects are delivered here too, but without
 * replay: anything that must not be missed is an `@OnStream` handler.
 */
@Injectable()
export class BusSubscriber {
  private readonly logger = new Logger('bus-subscriber');

  constructor(private readonly conn: NatsConnection) {}

  subscribe<S extends z.ZodType>(
    subject: string,
    schema: S,
    handler: (payload: z.infer<S>, subject: string) => void | Promise<void>,
  ): Unsubscribe {
    const sub = this.conn.connection().subscribe(subject, {
      callback: (err, msg) => {
        if (err) {
          // A refused subscription (NATS permissions) ends here: say so, do not go quiet.
          this.logger.error({ msg: 'subscription refused or failed', subject, code: err.code });
          return;
        }
        let parsed: z.infer<S>;
        try {
          parsed = schema.parse(JSON.parse(Buffer.from(msg.data).toString('utf8')));
        } catch {
          this.logger.warn({ msg: 'ignored an invalid broadcast', subject: msg.subject });
          return;
        }
        void Promise.resolve(handler(parsed, msg.subject)).catch((e: unknown) =>
          this.logger.error(
            { msg: 'broadcast handler failed', subject: msg.subject },
            e instanceof Error ? e : undefined,
          ),
        );
      },
    });
    this.conn.onShutdown(() => {
      if (!sub.isClosed()) sub.unsubscribe();
      return Promise.resolve();
    });
    return () => sub.unsubscribe();
  }
}
