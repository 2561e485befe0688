import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusRpc } from '@omnigate/bus';
import {
  CardActionRequestV1Schema,
  DecideApprovalRequestV1Schema,
  GetContextRequestV1Schema,
  ListApprovalsRequestV1Schema,
  SendReplyRequestV1Schema,
  Subjects,
  TicketActionRequestV1Schema,
} from '@omnigate/contracts';
import { ApprovalsService } from '../actions/approvals.service';
import { CardActionsService } from '../actions/card-actions.service';
import { TicketActionsService } from '../actions/ticket-actions.service';
import { CustomerContextService } from '../context/customer-context.service';
import { SendReplyService } from '../reply/send-reply.service';

export const RPC_QUEUE = 'router';

/** The router's request-reply surface: consoles ask it to send replies and for a customer's context. */
@Injectable()
export class RouterRpcHandler implements OnApplicationBootstrap {
  constructor(
    private readonly rpc: BusRpc,
    private readonly replies: SendReplyService,
    private readonly context: CustomerContextService,
    private readonly cards: CardActionsService,
    private readonly ticketActions: TicketActionsService,
    private readonly approvals: ApprovalsService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(
      Subjects.rpc.sendReply,
      SendReplyRequestV1Schema,
      (req) => this.replies.send(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.getContext,
      GetContextRequestV1Schema,
      (req) => this.context.forConversation(req.conversationId),
      RPC_QUEUE,
    );
    // Agent actions (issue 5): card block/unblock behind the fraud guard, tickets, approvals.
    this.rpc.serve(
      Subjects.rpc.cardAction,
      CardActionRequestV1Schema,
      (req) => this.cards.act(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.ticketAction,
      TicketActionRequestV1Schema,
      (req) => this.ticketActions.act(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.decideApproval,
      DecideApprovalRequestV1Schema,
      (req) => this.approvals.decide(req),
      RPC_QUEUE,
    );
    this.rpc.serve(
      Subjects.rpc.listApprovals,
      ListApprovalsRequestV1Schema,
      (req) => this.approvals.list(req),
      RPC_QUEUE,
    );
  }
}
