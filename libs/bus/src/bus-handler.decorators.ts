import { Catch, UseFilters, applyDecorators } from '@nestjs/common';
import type { RpcExceptionFilter } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { BaseRpcContext, Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { throwError } from 'rxjs';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import type {
  BroadcastDeclaration,
  RequestDeclaration,
  StreamDeclaration,
} from '@omnigate/contracts';
import type { ConsumerTuning, MessageContext } from './durable-consumer';
import type { PartitionUnit } from './partitioned-consumer';

/** Key of BusTransport's metadata in a pattern's `extras`. */
export const BUS_HANDLER = 'omnigate.bus';

export interface StreamHandlerOptions<S extends z.ZodType> extends ConsumerTuning {
  /** Durable name, `<service>-<purpose>`: a wire contract (NATS permissions name it). */
  durable: string;
  /** Messages with the same key are handled one after the other, in order. */
  keyOf?: (payload: z.infer<S>) => string;
  /**
   * Read as partitions shared by the service's instances (partitioned-consumer.ts) instead of one
   * durable on the declaration's subject: every partition's filter must fall inside it.
   */
  partitions?: { units: readonly PartitionUnit[]; leaseBucket: string };
}

export type BusHandlerMeta =
  | { kind: 'request'; declaration: RequestDeclaration }
  | {
      kind: 'stream';
      declaration: StreamDeclaration;
      options: StreamHandlerOptions<z.ZodType>;
    }
  | { kind: 'broadcast'; declaration: BroadcastDeclaration };

/**
 * What a handler receives beside the payload (`@Ctx()` or the second argument): above all the
 * SUBJECT the message came on, which the NATS server vouches for, unlike anything in the payload.
 */
export class BusContext extends BaseRpcContext<[MessageContext]> implements MessageContext {
  readonly subject: string;
  readonly streamSeq: number;
  readonly deliveryCount: number;
  readonly headers: Record<string, string>;

  constructor(ctx: MessageContext) {
    super([ctx]);
    this.subject = ctx.subject;
    this.streamSeq = ctx.streamSeq;
    this.deliveryCount = ctx.deliveryCount;
    this.headers = ctx.headers;
  }

  working(): void {
    this.args[0].working();
  }
}

/**
 * Nest's default RPC filter turns every error into `{status, message: 'Internal server error'}`;
 * the transport needs the error itself to ack, nak or dead-letter, and to reply with its code.
 */
@Catch()
export class PassErrorsToTransport implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

type Handler<In, Out> = (payload: In, ctx: BusContext) => Out | Promise<Out>;
type TypedMethodDecorator<H> = <T extends H>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void;

function busPattern(
  pattern: (subject: string, extras: Record<string, unknown>) => MethodDecorator,
  subject: string,
  meta: BusHandlerMeta,
): MethodDecorator {
  return applyDecorators(
    pattern(subject, { [BUS_HANDLER]: meta }),
    UseFilters(new PassErrorsToTransport()),
    payloadAndContext,
  );
}

/**
 * Without parameter decorators Nest passes only the payload; a bus handler gets (payload,
 * context) unless it places @Payload() / @Ctx() itself (parameter decorators run first).
 */
const payloadAndContext: MethodDecorator = (target, key) => {
  if (Reflect.getMetadata(ROUTE_ARGS_METADATA, target.constructor, key)) return;
  Payload()(target, key, 0);
  Ctx()(target, key, 1);
};

/**
 * A `@MessagePattern` for a declared request: core-NATS request-reply in the service's queue
 * group. The method gets the validated request; what it returns is checked against the response
 * schema and sent back; an AppError goes back as `{ code, message }`.
 */
export function OnRequest<Req extends z.ZodType, Res extends z.ZodType>(
  declaration: RequestDeclaration<Req, Res>,
): TypedMethodDecorator<Handler<z.output<Req>, z.input<Res>>> {
  const meta: BusHandlerMeta = { kind: 'request', declaration };
  return busPattern(MessagePattern, declaration.subject, meta);
}

/**
 * An `@EventPattern` for a declared JetStream subject: a durable pull consumer. Returning acks;
 * a transient AppError or an unknown error naks with backoff; a permanent AppError, a payload
 * that fails the schema, or the last allowed delivery terms it onto the dead-letter subject.
 */
export function OnStream<S extends z.ZodType>(
  declaration: StreamDeclaration<S>,
  options: StreamHandlerOptions<S>,
): TypedMethodDecorator<Handler<z.infer<S>, void>> {
  const meta = { kind: 'stream', declaration, options } as BusHandlerMeta;
  return busPattern(EventPattern, declaration.subject, meta);
}

/** An `@EventPattern` for a core-NATS broadcast: every instance, no replay, invalid ones dropped. */
export function OnBroadcast<S extends z.ZodType>(
  declaration: BroadcastDeclaration<S>,
): TypedMethodDecorator<Handler<z.infer<S>, void>> {
  return busPattern(EventPattern, declaration.subject, { kind: 'broadcast', declaration });
}
