import { Inject, Injectable, Logger } from '@nestjs/common';
import { ZodError } from 'zod';
import type { z } from 'zod';
import { BusClient, BusUnavailableError } from '@omnigate/bus';
import { AppError, counter } from '@omnigate/kit';
import type { RequestDeclaration } from '@omnigate/contracts';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { RequestInvalidError, describeIssues } from '../http/zod-validation.pipe';

/** The router answered something the contract does not allow: our bug, not the agent's. */
export class RouterAnswerUnreadableError extends AppError {
  constructor(cause: unknown) {
    super('CONSOLE.ROUTER_ANSWER_UNREADABLE', 'the router sent an answer the console cannot read', {
      cause,
    });
  }
}

const calls = counter('omnigate_console_router_rpc_total', 'Console → router requests', [
  'rpc',
  'outcome',
]);

/**
 * The console's only way to the router: one call per declared request (`RouterRequests.*` of
 * libs/contracts), over the bus's ClientProxy. The request is validated here first, so a bad one
 * is the agent's 400 with the field named; router errors keep their code
 * (ROUTER.CONVERSATION_NOT_FOUND → 404); no answer becomes BUS.UNAVAILABLE (503) in words an agent
 * understands.
 */
@Injectable()
export class RouterRpcClient {
  private readonly logger = new Logger('console-router-rpc');
  private readonly timeoutMs: number;

  constructor(
    private readonly bus: BusClient,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.timeoutMs = config.CONSOLE_RPC_TIMEOUT_MS;
  }

  async call<Req extends z.ZodType, Res extends z.ZodType>(
    declaration: RequestDeclaration<Req, Res>,
    request: z.input<Req>,
    opts: { timeoutMs?: number } = {},
  ): Promise<z.infer<Res>> {
    const rpc = declaration.subject.slice(declaration.subject.lastIndexOf('.') + 1);
    const req = validated(declaration.request, request);
    try {
      // A parsed request parses again to itself (trimmed, defaults filled): send it as input.
      const sent = req as z.input<Req>;
      const out = await this.bus.request(declaration, sent, {
        timeoutMs: opts.timeoutMs ?? this.timeoutMs,
      });
      calls.inc({ rpc, outcome: 'ok' });
      return out;
    } catch (e) {
      const err = translate(e);
      calls.inc({ rpc, outcome: err.code });
      if (err.code === 'BUS.UNAVAILABLE' || err instanceof RouterAnswerUnreadableError) {
        const { conversationId } = req as { conversationId?: string };
        this.logger.warn({ msg: 'router request failed', rpc, conversationId, code: err.code });
      }
      throw err;
    }
  }
}

function validated<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new RequestInvalidError(describeIssues(r.error, { type: 'body', data: undefined }));
  }
  return r.data;
}

function translate(e: unknown): AppError {
  // The request was validated before sending, so a zod error here is about the router's answer.
  if (e instanceof ZodError) return new RouterAnswerUnreadableError(e);
  if (e instanceof AppError && e.code === 'BUS.RESPONSE_INVALID') {
    return new RouterAnswerUnreadableError(e);
  }
  if (e instanceof AppError && e.code === 'BUS.UNAVAILABLE') {
    return new BusUnavailableError('the router did not answer; try again', e);
  }
  if (e instanceof AppError) return e;
  return new AppError('INTERNAL', 'internal error', { cause: e });
}
