import { Logger } from '@nestjs/common';
import { Server } from '@nestjs/microservices';
import type { CustomTransportStrategy, MessageHandler } from '@nestjs/microservices';
import type { NatsConnection as RawConnection } from 'nats';
import { lastValueFrom } from 'rxjs';
import type { z } from 'zod';
import type { BroadcastDeclaration } from '@omnigate/contracts';
import { NatsConnection } from './nats-connection';
import { startDurableConsumer } from './durable-consumer';
import { startPartitionedConsumer } from './partitioned-consumer';
import type { ConsumerTuning, MessageContext } from './durable-consumer';
import { BUS_HANDLER, BusContext } from './bus-handler.decorators';
import type { BusHandlerMeta } from './bus-handler.decorators';
import { startWhenStreamsExist } from './deferred-start';
import type { Stoppable } from './deferred-start';
import { decodeJson } from './rpc-reply';
import { contextOf, serveRequests } from './request-responder';
import { traceDelivery } from './trace-context';

export const BUS_TRANSPORT = Symbol('omnigate-bus');

/** A partition lease's term when the app sets none: a killed instance's share moves after it. */
const DEFAULT_LEASE_TERM_MS = 10_000;

export interface BusTransportOptions {
  /** Queue group of this service's request handlers: instances share the requests. */
  queue: string;
  /** Pacing per durable from the app's configuration; wins over the decorator's values. */
  consumers?: Record<string, ConsumerTuning>;
}

/** Something that yields the app's NatsConnection once the app has initialised. */
export interface ConnectionSource {
  get(token: typeof NatsConnection): NatsConnection;
}

/**
 * Nest custom transport over the app's one NATS connection: `@OnStream` (`@EventPattern`)
 * methods become JetStream durable consumers, `@OnRequest` (`@MessagePattern`) methods answer
 * core-NATS requests in the service's queue group, `@OnBroadcast` methods get every broadcast.
 * Everything it starts stops in NatsConnection's shutdown order: stop taking work, finish what is
 * in hand, then the connection drains. An app that starts before its streams exist (a gateway:
 * `streamsInBackground`) starts its `@OnStream` consumers once they do, without holding up its
 * start, and retries a failed consumer start; any other app fails its start instead.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  override transportId = BUS_TRANSPORT;
  protected override readonly logger = new Logger('bus-transport');
  private readonly running: Stoppable[] = [];

  constructor(
    private readonly source: ConnectionSource,
    private readonly options: BusTransportOptions,
  ) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (e: unknown) => callback(e),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.running.splice(0).map((r) => r.stop()));
  }

  on(): void {
    throw new Error('BusTransport has no events: watch NatsConnection instead');
  }

  unwrap<T>(): T {
    return this.source.get(NatsConnection).connection() as T;
  }

  private async start(): Promise<void> {
    const conn = this.source.get(NatsConnection);
    const deferStreams = conn.options.streamsInBackground === true;
    for (const [pattern, handler] of this.messageHandlers) {
      const meta = metaOf(pattern, handler);
      const running =
        meta.kind === 'stream' && deferStreams
          ? startWhenStreamsExist(
              conn,
              () => Promise.resolve(this.startOne(conn, meta, handler)),
              meta.options.durable,
            )
          : await this.startOne(conn, meta, handler);
      this.running.push(running);
      conn.onShutdown(() => running.stop(), `${meta.kind} ${pattern}`);
    }
    // The server has every subscription before the app says it started: a request sent right
    // after start (a restarted vault, a test) finds its responder instead of "no responders".
    await conn.connection().flush();
  }

  private startOne(
    conn: NatsConnection,
    meta: BusHandlerMeta,
    handler: MessageHandler,
  ): Promise<Stoppable> | Stoppable {
    switch (meta.kind) {
      case 'stream': {
        const { declaration: d, options } = meta;
        const { partitions, ...tuning } = {
          ...options,
          ...this.options.consumers?.[options.durable],
        };
        const spec = {
          ...tuning,
          stream: d.stream,
          schema: d.schema,
          handle: async (payload: unknown, ctx: MessageContext) => {
            await this.invoke(handler, payload, ctx);
          },
        };
        if (partitions) {
          return startPartitionedConsumer(conn, {
            ...spec,
            ...partitions,
            leaseTermMs: tuning.leaseTermMs ?? DEFAULT_LEASE_TERM_MS,
          });
        }
        return startDurableConsumer(conn, { ...spec, filterSubject: d.subject });
      }
      case 'request':
        return serveRequests(conn.connection(), meta.declaration, this.options.queue, (req, ctx) =>
          this.invoke(handler, req, ctx),
        );
      case 'broadcast':
        return this.subscribeBroadcast(conn.connection(), meta.declaration, handler);
    }
  }

  /** Runs a Nest handler and gives back its result or its error (PassErrorsToTransport). */
  private async invoke(handler: MessageHandler, payload: unknown, ctx: MessageContext) {
    const out: unknown = await handler(payload, new BusContext(ctx));
    return lastValueFrom(this.transformToObservable(out), { defaultValue: undefined });
  }

  private subscribeBroadcast(nc: RawConnection, d: BroadcastDeclaration, handler: MessageHandler) {
    const sub = nc.subscribe(d.subject, {
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ msg: 'subscription refused', subject: d.subject, code: err.code });
          return;
        }
        const parsed = safeDecode(d.schema, msg.data);
        if (!parsed.success) {
          this.logger.warn({ msg: 'ignored an invalid broadcast', subject: msg.subject });
          return;
        }
        const handle = () => this.invoke(handler, parsed.data, contextOf(msg));
        traceDelivery('broadcast', d.subject, msg, handle).catch((e: unknown) => {
          const error = e instanceof Error ? e : undefined;
          this.logger.error({ msg: 'broadcast handler failed', subject: msg.subject }, error);
        });
      },
    });
    return { stop: () => Promise.resolve(sub.isClosed() ? undefined : sub.unsubscribe()) };
  }
}

function metaOf(pattern: string, handler: MessageHandler): BusHandlerMeta {
  const meta = (handler.extras as Record<string, unknown> | undefined)?.[BUS_HANDLER];
  if (!meta) {
    throw new Error(`${pattern}: declare bus handlers with @OnRequest, @OnStream or @OnBroadcast`);
  }
  // Nest chains event handlers of one pattern and runs them all on every message: one durable
  // would ack for two handlers. One handler per subject and app.
  if (handler.next) throw new Error(`${pattern}: more than one handler in this app`);
  return meta as BusHandlerMeta;
}

function safeDecode(schema: z.ZodType, data: Uint8Array) {
  try {
    return schema.safeParse(decodeJson(data));
  } catch {
    return { success: false as const };
  }
}

/** For libs/kit startHttpApp's `transport`: the app's handlers on the app's NATS connection. */
export function busTransport(
  options: BusTransportOptions,
): (app: ConnectionSource) => BusTransport {
  return (app) => new BusTransport(app, options);
}
