import { Logger } from '@nestjs/common';
import type { Msg, NatsConnection as RawConnection } from 'nats';
import type { z } from 'zod';
import type { RequestDeclaration } from '@omnigate/contracts';
import type { MessageContext } from './durable-consumer';
import { decodeJson, encodeJson, isUnexpected, toRpcError } from './rpc-reply';
import type { RpcReply } from './rpc-reply';
import { traceDelivery } from './trace-context';

const logger = new Logger('bus-requests');

export interface RunningResponder {
  /** Stops taking requests and lets those in hand answer (drain). */
  stop(): Promise<void>;
}

export type RequestHandle<D extends RequestDeclaration> = (
  request: z.infer<D['request']>,
  ctx: MessageContext,
) => Promise<unknown>;

/**
 * Answers a declared request subject in a queue group: the request is parsed with the
 * declaration's schema, the answer checked against its response schema, and every reply is the
 * RpcReply envelope (errors with their stable code). BusTransport serves `@OnRequest` methods with
 * it; test stand-ins of a service use it directly.
 */
export function serveRequests<D extends RequestDeclaration>(
  nc: RawConnection,
  declaration: D,
  queue: string,
  handle: RequestHandle<D>,
): RunningResponder {
  const { subject } = declaration;
  const sub = nc.subscribe(subject, {
    queue,
    callback: (err, msg) => {
      if (err) {
        logger.error({ msg: 'request subscription refused', subject, code: err.code });
        return;
      }
      void replyTo(declaration, handle, msg).then((reply) => msg.respond(encodeJson(reply)));
    },
  });
  return { stop: () => sub.drain().catch(() => undefined) };
}

async function replyTo<D extends RequestDeclaration>(
  d: D,
  handle: RequestHandle<D>,
  msg: Msg,
): Promise<RpcReply> {
  let out: unknown;
  try {
    const request = d.request.parse(decodeJson(msg.data)) as z.infer<D['request']>;
    out = await traceDelivery('serve', d.subject, msg, () => handle(request, contextOf(msg)));
  } catch (e) {
    if (isUnexpected(e)) {
      const err = e instanceof Error ? e : undefined;
      logger.error({ msg: 'request handler failed', subject: d.subject }, err);
    }
    return { ok: false, error: toRpcError(e) };
  }
  // The producer checks its own answer: the caller would refuse it anyway, less clearly.
  const checked = d.response.safeParse(JSON.parse(JSON.stringify(out ?? null)));
  if (checked.success) return { ok: true, data: checked.data };
  logger.error({ msg: 'answer breaks its contract', subject: d.subject });
  return {
    ok: false,
    error: { code: 'BUS.RESPONSE_INVALID', message: 'the answer breaks its contract' },
  };
}

/** What a core-NATS message tells a handler: its subject and headers (one delivery, no stream). */
export function contextOf(msg: Msg): MessageContext {
  const headers: Record<string, string> = {};
  for (const k of msg.headers?.keys() ?? []) headers[k] = msg.headers?.get(k) ?? '';
  return { subject: msg.subject, streamSeq: 0, deliveryCount: 1, headers, working: () => {} };
}
