import { Injectable } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import type { ReadPacket, WritePacket } from '@nestjs/microservices';
import type { NatsConnection as RawConnection } from 'nats';
import { ReplaySubject, defer } from 'rxjs';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type { RequestDeclaration, StreamDeclaration } from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import { NatsConnection } from './nats-connection';
import { BusPublisher } from './bus-publisher';
import type { PublishAck, PublishOptions } from './bus-publisher';
import { BusPermissionError, BusUnavailableError, RpcError, isPermissionError } from './bus.errors';
import { decodeJson, encodeJson } from './rpc-reply';
import type { RpcReply } from './rpc-reply';
import { traceRequest } from './trace-context';

export interface SendOptions {
  /** No answer within this: BUS.UNAVAILABLE (the caller's edge answers 503). Default 5000. */
  timeoutMs?: number;
}

export interface EmitOptions extends Partial<PublishOptions> {
  /** The concrete subject, when the declaration's is a wildcard without `publishSubject`. */
  subject?: string;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * The Nest ClientProxy of the bus, typed by the contracts' declarations: `send` is a request to a
 * service (`@OnRequest` on the other side), `emit` a JetStream publish that resolves once stored.
 * Errors keep their stable code: no answer → BUS.UNAVAILABLE, a refused subject →
 * BUS.PERMISSION_DENIED, the service's refusal → RpcError with its code; an answer that breaks
 * the contract → ZodError (the caller's bug report, not the user's).
 */
@Injectable()
export class BusClient extends ClientProxy {
  constructor(
    private readonly conn: NatsConnection,
    private readonly publisher: BusPublisher,
  ) {
    super();
  }

  connect(): Promise<RawConnection> {
    return Promise.resolve(this.conn.connection());
  }

  /** The connection belongs to NatsConnection, which drains it on shutdown. */
  close(): void {}

  unwrap<T>(): T {
    return this.conn.connection() as T;
  }

  // TResult only to stay assignable to ClientProxy.send; it is always the declared response.
  override send<Req extends z.ZodType, Res extends z.ZodType, TResult = z.infer<Res>>(
    declaration: RequestDeclaration<Req, Res>,
    request: z.input<Req>,
    opts: SendOptions = {},
  ): Observable<TResult> {
    return defer(() => this.request(declaration, request, opts) as Promise<TResult>);
  }

  /** `send` as a promise. */
  async request<Req extends z.ZodType, Res extends z.ZodType>(
    declaration: RequestDeclaration<Req, Res>,
    request: z.input<Req>,
    opts: SendOptions = {},
  ): Promise<z.infer<Res>> {
    const { subject } = declaration;
    const body = declaration.request.parse(request);
    let reply: RpcReply;
    try {
      const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const msg = await traceRequest(subject, (headers) =>
        this.conn.connection().request(subject, encodeJson(body), { timeout, headers }),
      );
      reply = decodeJson(msg.data) as RpcReply;
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (isPermissionError(e)) {
        throw new BusPermissionError(`this NATS user may not call ${subject}`, e);
      }
      throw new BusUnavailableError(`no answer on ${subject}`, e);
    }
    if (!reply.ok) throw new RpcError(reply.error.code, reply.error.message);
    return declaration.response.parse(reply.data);
  }

  /**
   * Publishes on JetStream with a Nats-Msg-Id (from the options or the declaration's rule). Hot,
   * as Nest's emit is: it is sent whether or not anyone subscribes; the observable gives the ack.
   */
  override emit<S extends z.ZodType, TResult = PublishAck>(
    declaration: StreamDeclaration<S>,
    payload: z.input<S>,
    opts: EmitOptions = {},
  ): Observable<TResult> {
    const result = new ReplaySubject<TResult>(1);
    this.publishTo(declaration, payload, opts).then(
      (ack) => {
        result.next(ack as TResult);
        result.complete();
      },
      (e: unknown) => result.error(e),
    );
    return result.asObservable();
  }

  private async publishTo<S extends z.ZodType>(
    d: StreamDeclaration<S>,
    payload: z.input<S>,
    opts: EmitOptions,
  ): Promise<PublishAck> {
    const body = d.schema.parse(payload);
    const subject = opts.subject ?? d.publishSubject?.(body) ?? d.subject;
    const msgId = opts.msgId ?? d.msgIdOf?.(body);
    if (!msgId) throw new Error(`${d.subject}: no Nats-Msg-Id (declare msgIdOf or pass one)`);
    return this.publisher.publish(subject, d.schema, payload, { msgId, headers: opts.headers });
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('BusClient sends declared requests only'), isDisposed: true });
    return () => undefined;
  }

  protected dispatchEvent<T>(): Promise<T> {
    return Promise.reject(new Error('BusClient emits on declared streams only'));
  }
}
