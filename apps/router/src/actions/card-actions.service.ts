import { Injectable, Logger } from '@nestjs/common';
import type {
  Actor,
  AssuranceLevel,
  CardActionRequestV1,
  CardActionResponseV1,
} from '@omnigate/contracts';
import { ApprovalsRepository, AuditLogRepository, ConversationsRepository } from '@omnigate/store';
import type { ApprovalRow, ConversationWithCustomer } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { CoreBankingPort } from '../core-banking/core-banking.port';
import type { CoreCard } from '../core-banking/core-banking.port';
import { ConversationEventsService } from '../events/conversation-events.service';
import { notificationIdFor } from '../notify/notification-channels.mapper';
import { NotifyService } from '../notify/notify.service';
import { ConversationNotFoundError } from '../shared/router.errors';
import { ApprovalConflictError, CardNotFoundError } from './actions.errors';
import { noticeMsgId } from './action-view.mapper';
import { toCardView } from '../context/customer-context.mapper';
import { CoreBankingUnavailableError } from '../core-banking/core-banking.errors';
import { StepUpService } from '../identity/step-up.service';
import { NOT_APPROVED, decideUnblock } from './unblock-guard.rule';
import { UnblockRefusalService } from './unblock-refusal.service';
import type { UnblockBasis } from './unblock-guard.rule';

/** A card of a conversation's customer, read fresh from core banking, and who the customer is. */
export interface CardSubject {
  found: ConversationWithCustomer;
  coreRef: string;
  card: CoreCard;
  assurance: AssuranceLevel;
}

/**
 * An agent's block or unblock of a customer's card. Unblocking a fraud-engine block passes the
 * guard (unblock-guard.rule: a supervisor's approval, or the customer's approval in the app of
 * this very unblock, used once) or is refused with a pending approval for a supervisor and, when
 * the customer has the app, a step-up request there naming the card and the action. Every
 * outcome is audited (ids, codes and the customer's assurance at that moment) and shown in the
 * conversation's timeline.
 */
@Injectable()
export class CardActionsService {
  private readonly logger = new Logger('card-actions');

  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly audit: AuditLogRepository,
    private readonly coreBanking: CoreBankingPort,
    private readonly assurance: AssuranceService,
    private readonly events: ConversationEventsService,
    private readonly notify: NotifyService,
    private readonly refusal: UnblockRefusalService,
    private readonly stepUp: StepUpService,
  ) {}

  async act(req: CardActionRequestV1): Promise<CardActionResponseV1> {
    const subject = await this.subject(req.conversationId, req.cardId);
    const cause = `card:${req.cardId}:${req.action}:${req.idempotencyKey}`;
    if (req.action === 'block') return this.block(subject, req.actor, req.reason, cause);
    if (subject.card.status === 'active') return unchanged(subject.card, 'not_fraud');
    const customerId = subject.found.customer.id;
    const [approval, stepUp] =
      subject.card.blockedBy === 'fraud_engine'
        ? await Promise.all([
            this.approvals.newest('unblock_card', customerId, req.cardId, 'approved'),
            this.stepUp.approvedUnblock(customerId, req.cardId, req.actor.id),
          ])
        : [null, null];
    const decision = decideUnblock({
      card: subject.card,
      customerId,
      conversationId: subject.found.conversation.id,
      requester: req.actor,
      approval,
      stepUp,
      now: Date.now(),
    });
    if (!decision.allowed) {
      return this.refusal.refuse(subject, req, this.detail(subject, req.actor), decision.missing);
    }
    if (decision.basis === 'step_up') return this.unblockOnStepUp(subject, req, stepUp!.id, cause);
    return this.unblock(subject, req.actor, req.reason, decision.basis, decision.approvalId, cause);
  }

  /**
   * The customer approved this unblock in the app: the approval is used up first (compare-and-set,
   * so a replayed or concurrent click finds it used and is refused), given back only when core
   * banking could not be reached.
   */
  private async unblockOnStepUp(
    s: CardSubject,
    req: CardActionRequestV1,
    stepUpId: string,
    cause: string,
  ): Promise<CardActionResponseV1> {
    if (!(await this.stepUp.use(stepUpId, req.actor.id))) {
      return this.refusal.refuse(s, req, this.detail(s, req.actor), NOT_APPROVED);
    }
    try {
      return await this.unblock(s, req.actor, req.reason, 'step_up', stepUpId, cause);
    } catch (e) {
      if (e instanceof CoreBankingUnavailableError) await this.stepUp.release(stepUpId, e);
      throw e;
    }
  }

  /** The conversation's customer and one of their cards, fresh: a block a second ago counts. */
  async subject(conversationId: string, cardId: string): Promise<CardSubject> {
    const found = await this.conversations.get(conversationId);
    if (!found) throw new ConversationNotFoundError();
    const coreRef = found.customer.kind === 'customer' ? found.customer.coreRef : null;
    // An unverified contact has no cards we may touch.
    if (!coreRef) throw new CardNotFoundError(cardId);
    this.coreBanking.invalidate(coreRef);
    const [cards, state] = await Promise.all([
      this.coreBanking.getCards(coreRef),
      this.assurance.current(found.customer.id),
    ]);
    const card = cards.find((c) => c.id === cardId);
    if (!card) throw new CardNotFoundError(cardId);
    return { found, coreRef, card, assurance: state.level };
  }

  /** Unblocks in core banking (the guard passed), then audits, announces and notifies the customer. */
  async unblock(
    s: CardSubject,
    actor: Actor,
    reason: string,
    basis: UnblockBasis,
    approvalId: string | null,
    cause: string,
  ): Promise<CardActionResponseV1> {
    const updated = await this.coreBanking.unblockCard(s.coreRef, s.card.id, {
      actor: actor.id,
      reason,
    });
    this.coreBanking.invalidate(s.coreRef);
    if (approvalId) await this.approvals.markExecuted(approvalId);
    await this.approvals.closePendingFor(
      'unblock_card',
      s.found.customer.id,
      s.card.id,
      actor.id,
      `card unblocked (${basis})`,
    );
    const conversationId = s.found.conversation.id;
    await this.audit.append({
      actor: actor.id,
      action: 'card.unblock',
      subject: `card:${s.card.id}`,
      detail: {
        ...this.detail(s, actor),
        basis,
        blockedBy: s.card.blockedBy ?? 'none',
        ...(approvalId ? { approvalId } : {}),
      },
    });
    await this.events.notice(
      conversationId,
      noticeMsgId('card.unblocked', cause),
      'card.unblocked',
      {
        cardId: s.card.id,
        by: actor.id,
        basis,
        ...(approvalId ? { approvalId } : {}),
      },
    );
    const notificationId = notificationIdFor(cause);
    await this.notifySafely(conversationId, notificationId, s.card.last4);
    return { card: toCardView(updated), changed: true, basis, notificationId };
  }

  private async block(
    s: CardSubject,
    actor: Actor,
    reason: string,
    cause: string,
  ): Promise<CardActionResponseV1> {
    if (s.card.status === 'blocked') return unchanged(s.card, 'block');
    const updated = await this.coreBanking.blockCard(s.coreRef, s.card.id, {
      actor: actor.id,
      reason,
    });
    this.coreBanking.invalidate(s.coreRef);
    await this.audit.append({
      actor: actor.id,
      action: 'card.block',
      subject: `card:${s.card.id}`,
      detail: this.detail(s, actor),
    });
    await this.events.notice(
      s.found.conversation.id,
      noticeMsgId('card.blocked', cause),
      'card.blocked',
      {
        cardId: s.card.id,
        by: actor.id,
      },
    );
    return { card: toCardView(updated), changed: true, basis: 'block', notificationId: null };
  }

  /** The approved request of another agent, executed by the approving supervisor. */
  async unblockOnApproval(approval: ApprovalRow, approver: Actor): Promise<CardActionResponseV1> {
    const s = await this.subject(approval.conversationId ?? '', approval.target);
    if (s.card.status === 'active') {
      await this.approvals.markExecuted(approval.id);
      return unchanged(s.card, 'approval');
    }
    const decision = decideUnblock({
      card: s.card,
      customerId: s.found.customer.id,
      conversationId: s.found.conversation.id,
      requester: { id: approval.requestedBy, role: 'agent' },
      approval,
      stepUp: null,
      now: Date.now(),
    });
    // Decided by a supervisor who is not the requester: the guard lets it through.
    if (!decision.allowed) {
      throw new ApprovalConflictError('the approval no longer allows this unblock');
    }
    return this.unblock(
      s,
      approver,
      `approval ${approval.id} of ${approval.requestedBy}'s request`,
      decision.basis,
      approval.id,
      `approval:${approval.id}`,
    );
  }

  /** What every audit entry of a card action carries: ids, codes and the assurance now. */
  detail(s: CardSubject, actor: Actor): Record<string, string> {
    return {
      role: actor.role,
      conversationId: s.found.conversation.id,
      customerId: s.found.customer.id,
      assurance: s.assurance,
    };
  }

  /** The card is unblocked whatever happens to the message: a failure is logged and shown. */
  private async notifySafely(conversationId: string, notificationId: string, last4: string) {
    try {
      await this.notify.notify({
        notificationId,
        conversationId,
        content: { kind: 'card_unblocked', last4 },
      });
    } catch (e) {
      this.logger.error(
        { msg: 'customer notification failed', conversationId, notificationId },
        e instanceof Error ? e : undefined,
      );
    }
  }
}

function unchanged(card: CoreCard, basis: CardActionResponseV1['basis']): CardActionResponseV1 {
  return { card: toCardView(card), changed: false, basis, notificationId: null };
}
