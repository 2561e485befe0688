import { Inject, Injectable, Logger } from '@nestjs/common';
import { ZodError } from 'zod';
import type { z } from 'zod';
import { BusRpc, BusUnavailableError } from '@omnigate/bus';
import { AppError, counter } from '@omnigate/kit';
import {
  CardActionRequestV1Schema,
  CardActionResponseV1Schema,
  DecideApprovalRequestV1Schema,
  DecideApprovalResponseV1Schema,
  ListApprovalsRequestV1Schema,
  ListApprovalsResponseV1Schema,
  TicketActionRequestV1Schema,
  TicketActionResponseV1Schema,
  GetContextRequestV1Schema,
  GetContextResponseV1Schema,
  ListQueuesRequestV1Schema,
  ListQueuesResponseV1Schema,
  SetAgentPresenceRequestV1Schema,
  SetAgentPresenceResponseV1Schema,
  SetControlRequestV1Schema,
  SetControlResponseV1Schema,
  SendReplyRequestV1Schema,
  SendReplyResponseV1Schema,
  Subjects,
  UnlinkIdentityRequestV1Schema,
  UnlinkIdentityResponseV1Schema,
} from '@omnigate/contracts';
import type {
  CardActionRequestV1,
  CardActionResponseV1,
  DecideApprovalRequestV1,
  DecideApprovalResponseV1,
  ListApprovalsRequestV1,
  ListApprovalsResponseV1,
  TicketActionRequestV1,
  TicketActionResponseV1,
  CustomerContextV1,
  ListQueuesResponseV1,
  SetAgentPresenceRequestV1,
  SetAgentPresenceResponseV1,
  SetControlRequestV1,
  SetControlResponseV1,
  SendReplyRequestV1,
  SendReplyResponseV1,
  UnlinkIdentityRequestV1,
  UnlinkIdentityResponseV1,
} from '@omnigate/contracts';
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
 * The console's only way to the router: typed request-reply on the bus. Router errors keep their
 * code (ROUTER.CONVERSATION_NOT_FOUND → 404); no answer becomes BUS.UNAVAILABLE (503) in words an agent understands.
 */
@Injectable()
export class RouterRpcClient {
  private readonly logger = new Logger('console-router-rpc');
  private readonly timeoutMs: number;

  constructor(
    private readonly rpc: BusRpc,
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
  ) {
    this.timeoutMs = config.CONSOLE_RPC_TIMEOUT_MS;
  }

  async getContext(conversationId: string): Promise<CustomerContextV1> {
    const req = validated(GetContextRequestV1Schema, { conversationId });
    return this.call('get_context', conversationId, () =>
      this.rpc.request(
        Subjects.rpc.getContext,
        GetContextRequestV1Schema,
        req,
        GetContextResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  async sendReply(request: SendReplyRequestV1): Promise<SendReplyResponseV1> {
    const req = validated(SendReplyRequestV1Schema, request);
    return this.call('send_reply', req.conversationId, () =>
      this.rpc.request(
        Subjects.rpc.sendReply,
        SendReplyRequestV1Schema,
        req,
        SendReplyResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  /** Agent actions (issue 5): card block/unblock, tickets, approvals; refusals keep their code. */
  async cardAction(request: CardActionRequestV1): Promise<CardActionResponseV1> {
    const req = validated(CardActionRequestV1Schema, request);
    return this.call('card_action', req.conversationId, () =>
      this.rpc.request(
        Subjects.rpc.cardAction,
        CardActionRequestV1Schema,
        req,
        CardActionResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  async ticketAction(request: TicketActionRequestV1): Promise<TicketActionResponseV1> {
    const req = validated(TicketActionRequestV1Schema, request);
    return this.call('ticket_action', req.conversationId ?? '', () =>
      this.rpc.request(
        Subjects.rpc.ticketAction,
        TicketActionRequestV1Schema,
        req,
        TicketActionResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  async decideApproval(request: DecideApprovalRequestV1): Promise<DecideApprovalResponseV1> {
    const req = validated(DecideApprovalRequestV1Schema, request);
    return this.call('decide_approval', '', () =>
      this.rpc.request(
        Subjects.rpc.decideApproval,
        DecideApprovalRequestV1Schema,
        req,
        DecideApprovalResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  async listApprovals(request: ListApprovalsRequestV1): Promise<ListApprovalsResponseV1> {
    const req = validated(ListApprovalsRequestV1Schema, request);
    return this.call('list_approvals', '', () =>
      this.rpc.request(
        Subjects.rpc.listApprovals,
        ListApprovalsRequestV1Schema,
        req,
        ListApprovalsResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  /** An agent revokes a customer's channel link (issue 5); the router audits it. */
  async unlinkIdentity(request: UnlinkIdentityRequestV1): Promise<UnlinkIdentityResponseV1> {
    const req = validated(UnlinkIdentityRequestV1Schema, request);
    return this.call('unlink_identity', req.customerId, () =>
      this.rpc.request(
        Subjects.rpc.unlinkIdentity,
        UnlinkIdentityRequestV1Schema,
        req,
        UnlinkIdentityResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  /** Routing (issue 5): who answers a conversation, agents' presence, queue counts. */
  async setControl(request: SetControlRequestV1): Promise<SetControlResponseV1> {
    const req = validated(SetControlRequestV1Schema, request);
    return this.call('set_control', req.conversationId, () =>
      this.rpc.request(
        Subjects.rpc.setControl,
        SetControlRequestV1Schema,
        req,
        SetControlResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  async setAgentPresence(request: SetAgentPresenceRequestV1): Promise<SetAgentPresenceResponseV1> {
    const req = validated(SetAgentPresenceRequestV1Schema, request);
    return this.call('set_agent_presence', '', () =>
      this.rpc.request(
        Subjects.rpc.setAgentPresence,
        SetAgentPresenceRequestV1Schema,
        req,
        SetAgentPresenceResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  async listQueues(): Promise<ListQueuesResponseV1> {
    return this.call('list_queues', '', () =>
      this.rpc.request(
        Subjects.rpc.listQueues,
        ListQueuesRequestV1Schema,
        {},
        ListQueuesResponseV1Schema,
        this.timeoutMs,
      ),
    );
  }

  private async call<T>(rpc: string, conversationId: string, run: () => Promise<T>): Promise<T> {
    try {
      const out = await run();
      calls.inc({ rpc, outcome: 'ok' });
      return out;
    } catch (e) {
      const err = translate(e);
      calls.inc({ rpc, outcome: err.code });
      const log = { msg: 'router request failed', rpc, conversationId, code: err.code };
      if (err.code === 'BUS.UNAVAILABLE' || err instanceof RouterAnswerUnreadableError) {
        this.logger.warn(log);
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
  if (e instanceof AppError && e.code === 'BUS.UNAVAILABLE') {
    return new BusUnavailableError('the router did not answer; try again', e);
  }
  if (e instanceof AppError) return e;
  return new AppError('INTERNAL', 'internal error', { cause: e });
}
