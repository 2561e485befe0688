import { Injectable, Logger } from '@nestjs/common';
import type { Subscription } from 'nats';
import { ZodError } from 'zod';
import type { z } from 'zod';
import { AppError } from '@omnigate/kit';
import { NatsConnection } from './nats-connection';
import { BusPermissionError, BusUnavailableError, RpcError, isPermissionError } from './bus.errors';

type RpcReply =
  { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * Typed request-reply between services over core NATS (a console asking the router to send a
 * reply). Both sides validate with the contract's zod schemas; errors keep their stable code.
 */
@Injectable()
export class BusRpc {
  private readonly logger = new Logger('bus-rpc');

  constructor(private readonly conn: NatsConnection) {}

  async request<Req extends z.ZodType, Res extends z.ZodType>(
    subject: string,
    reqSchema: Req,
    req: z.input<Req>,
    resSchema: Res,
    timeoutMs = 5000,
  ): Promise<z.infer<Res>> {
    const body = reqSchema.parse(req);
    let reply: RpcReply;
    try {
      const msg = await this.conn
        .connection()
        .request(subject, Buffer.from(JSON.stringify(body)), { timeout: timeoutMs });
      reply = JSON.parse(Buffer.from(msg.data).toString('utf8')) as RpcReply;
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (isPermissionError(e)) {
        throw new BusPermissionError(`this NATS user may not call ${subject}`, e);
      }
      throw new BusUnavailableError(`no answer on ${subject}`, e);
    }
    if (!reply.ok) throw new RpcError(reply.error.code, reply.error.message);
    return resSchema.parse(reply.data);
  }

  serve<Req extends z.ZodType>(
    subject: string,
    reqSchema: Req,
    handler: (req: z.infer<Req>) => Promise<unknown>,
    queue: string,
  ): Subscription {
    const sub = this.conn.connection().subscribe(subject, {
      queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ msg: 'rpc subscription refused or failed', subject, code: err.code });
          return;
        }
        void (async () => {
          let reply: RpcReply;
          try {
            const req = reqSchema.parse(JSON.parse(Buffer.from(msg.data).toString('utf8')));
            reply = { ok: true, data: await handler(req) };
          } catch (e) {
            reply = { ok: false, error: toRpcError(e) };
            if (
              !(e instanceof AppError) &&
              !(e instanceof ZodError) &&
              !(e instanceof SyntaxError)
            ) {
              this.logger.error(
                { msg: 'rpc handler failed', subject },
                e instanceof Error ? e : undefined,
              );
            }
          }
          msg.respond(Buffer.from(JSON.stringify(reply)));
        })();
      },
    });
    this.conn.onShutdown(async () => {
      await sub.drain().catch(() => undefined);
    });
    return sub;
  }
}

function toRpcError(e: unknown): { code: string; message: string } {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  if (e instanceof ZodError) {
    return {
      code: 'REQUEST.INVALID',
      message: e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  if (e instanceof SyntaxError) {
    return { code: 'REQUEST.MALFORMED', message: 'request is not JSON' };
  }
  return { code: 'INTERNAL', message: 'internal error' };
}
