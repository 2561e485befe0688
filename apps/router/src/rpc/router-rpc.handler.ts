import { Controller } from '@nestjs/common';
import { OnRequest } from '@omnigate/bus';
import { RouterRequests } from '@omnigate/contracts';
import type {
  CardActionRequestV1,
  DecideApprovalRequestV1,
  GetContextRequestV1,
  ListApprovalsRequestV1,
  SendReplyRequestV1,
  TicketActionRequestV1,
} from '@omnigate/contracts';
import { ApprovalsService } from '../actions/approvals.service';
import { CardActionsService } from '../actions/card-actions.service';
import { TicketActionsService } from '../actions/ticket-actions.service';
import { CustomerContextService } from '../context/customer-context.service';
import { SendReplyService } from '../reply/send-reply.service';

/** The router's request-reply surface: consoles ask it to send replies and for a customer's context. */
@Controller()
export class RouterRpcHandler {
  constructor(
    private readonly replies: SendReplyService,
    private readonly context: CustomerContextService,
    private readonly cards: CardActionsService,
    private readonly ticketActions: TicketActionsService,
    private readonly approvals: ApprovalsService,
  ) {}

  @OnRequest(RouterRequests.sendReply)
  sendReply(req: SendReplyRequestV1) {
    return this.replies.send(req);
  }

  @OnRequest(RouterRequests.getContext)
  getContext(req: GetContextRequestV1) {
    return this.context.forConversation(req.conversationId);
  }

  // Agent actions (issue 5): card block/unblock behind the fraud guard, tickets, approvals.
  @OnRequest(RouterRequests.cardAction)
  cardAction(req: CardActionRequestV1) {
    return this.cards.act(req);
  }

  @OnRequest(RouterRequests.ticketAction)
  ticketAction(req: TicketActionRequestV1) {
    return this.ticketActions.act(req);
  }

  @OnRequest(RouterRequests.decideApproval)
  decideApproval(req: DecideApprovalRequestV1) {
    return this.approvals.decide(req);
  }

  @OnRequest(RouterRequests.listApprovals)
  listApprovals(req: ListApprovalsRequestV1) {
    return this.approvals.list(req);
  }
}
