import { Injectable } from '@nestjs/common';
import type {
  Actor,
  DecideApprovalRequestV1,
  DecideApprovalResponseV1,
  ListApprovalsRequestV1,
  ListApprovalsResponseV1,
} from '@omnigate/contracts';
import { ApprovalsRepository, AuditLogRepository } from '@omnigate/store';
import type { ApprovalRow } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { ConversationEventsService } from '../events/conversation-events.service';
import {
  ApprovalConflictError,
  ApprovalNotFoundError,
  ApproverForbiddenError,
  SamePersonError,
} from './actions.errors';
import { noticeMsgId, toApprovalView } from './action-view.mapper';
import { CardActionsService } from './card-actions.service';

const DECIDERS: ReadonlyArray<Actor['role']> = ['supervisor', 'admin'];

/**
 * The second person's decision on an agent's unblock of a fraud-blocked card. Approving executes
 * the unblock at once, in the approver's name; when core banking fails then, the approval stays
 * `approved` and the agent's retry of the unblock passes the guard on it.
 */
@Injectable()
export class ApprovalsService {
  constructor(
    private readonly approvals: ApprovalsRepository,
    private readonly audit: AuditLogRepository,
    private readonly events: ConversationEventsService,
    private readonly cards: CardActionsService,
    private readonly assurance: AssuranceService,
  ) {}

  async list(req: ListApprovalsRequestV1): Promise<ListApprovalsResponseV1> {
    const rows = await this.approvals.list(req.status, req.limit ?? 50);
    return { approvals: rows.map(toApprovalView) };
  }

  async decide(req: DecideApprovalRequestV1): Promise<DecideApprovalResponseV1> {
    const approval = await this.approvals.get(req.approvalId);
    if (!approval) throw new ApprovalNotFoundError(req.approvalId);
    if (approval.kind !== 'unblock_card') {
      throw new ApprovalConflictError('a step-up request is approved by the customer in the app');
    }
    if (!DECIDERS.includes(req.actor.role)) throw new ApproverForbiddenError();
    if (req.actor.id === approval.requestedBy) throw new SamePersonError();
    const decided = await this.approvals.decide(
      approval.id,
      req.approve ? 'approved' : 'rejected',
      req.actor.id,
      req.reason ?? null,
    );
    if (!decided) {
      throw new ApprovalConflictError(
        `approval ${approval.id} is no longer pending (${approval.status === 'pending' ? 'expired' : approval.status})`,
      );
    }
    await this.record(decided, req.actor);
    if (decided.status === 'rejected') {
      return { approval: toApprovalView(decided), card: null, notificationId: null };
    }
    return this.execute(decided, req.actor);
  }

  private async execute(approval: ApprovalRow, actor: Actor): Promise<DecideApprovalResponseV1> {
    try {
      const done = await this.cards.unblockOnApproval(approval, actor);
      const after = (await this.approvals.get(approval.id)) ?? approval;
      return {
        approval: toApprovalView(after),
        card: done.card,
        notificationId: done.notificationId,
      };
    } catch (e) {
      // Approved all the same: the agent's retry of the unblock goes through on it.
      if (e instanceof CoreBankingUnavailableError) {
        return { approval: toApprovalView(approval), card: null, notificationId: null };
      }
      throw e;
    }
  }

  private async record(approval: ApprovalRow, actor: Actor): Promise<void> {
    const code = approval.status === 'approved' ? 'approval.approved' : 'approval.rejected';
    const assurance = await this.assurance.current(approval.customerId);
    await this.audit.append({
      actor: actor.id,
      action: code,
      subject: `approval:${approval.id}`,
      detail: {
        role: actor.role,
        kind: approval.kind,
        cardId: approval.target,
        requestedBy: approval.requestedBy,
        customerId: approval.customerId,
        assurance: assurance.level,
        ...(approval.conversationId ? { conversationId: approval.conversationId } : {}),
      },
    });
    if (approval.conversationId) {
      await this.events.notice(approval.conversationId, noticeMsgId(code, approval.id), code, {
        approvalId: approval.id,
        cardId: approval.target,
        by: actor.id,
      });
    }
  }
}
