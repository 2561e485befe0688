import { Injectable } from '@nestjs/common';
import type { CardActionRequestV1 } from '@omnigate/contracts';
import { counter } from '@omnigate/kit';
import { ApprovalsRepository, AuditLogRepository, IdentitiesRepository } from '@omnigate/store';
import type { ConversationWithCustomer } from '@omnigate/store';
import type { CoreCard } from '../core-banking/core-banking.port';
import { ConversationEventsService } from '../events/conversation-events.service';
import { StepUpService } from '../identity/step-up.service';
import { FraudUnblockNeedsApprovalError } from './actions.errors';
import { noticeMsgId } from './action-view.mapper';
import {
  FRAUD_UNBLOCK_NEEDS_APPROVAL,
  REQUIRED_ASSURANCE,
  refusalReason,
} from './unblock-guard.rule';

const refusals = counter(
  'omnigate_router_fraud_unblock_refusals_total',
  "Unblocks of a fraud-blocked card refused by the guard, by whether the customer's app was asked",
  ['app_asked'],
);

/** How long a supervisor has to decide an agent's unblock request. */
export const APPROVAL_TTL_MS = 30 * 60_000;

/**
 * An unblock the guard refused: a pending unblock_card approval for a supervisor (one per card,
 * a retried click finds it again), a step-up request to the customer's app naming this unblock
 * (when there is an app and no such request is waiting), the audit entry and the timeline
 * notice; then the 403 with the reason.
 */
@Injectable()
export class UnblockRefusalService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly approvals: ApprovalsRepository,
    private readonly audit: AuditLogRepository,
    private readonly stepUp: StepUpService,
    private readonly events: ConversationEventsService,
  ) {}

  async refuse(
    s: { found: ConversationWithCustomer; card: CoreCard },
    req: CardActionRequestV1,
    detail: Record<string, string>,
    missing: string,
  ): Promise<never> {
    const customerId = s.found.customer.id;
    const conversationId = s.found.conversation.id;
    const { approval } = await this.approvals.pendingOrCreate({
      kind: 'unblock_card',
      customerId,
      conversationId,
      target: s.card.id,
      requestedBy: req.actor.id,
      expiresAt: new Date(Date.now() + APPROVAL_TTL_MS),
    });
    const hasApp = (await this.identities.listForCustomer(customerId)).some(
      (i) => i.channel === 'inapp' && i.status === 'linked',
    );
    // One question at a time: a retried click while the customer has not answered asks nothing new.
    const askApp = hasApp && !(await this.stepUp.pendingUnblock(customerId, s.card.id));
    if (askApp) {
      await this.stepUp.request({
        customerId,
        conversationId,
        level: REQUIRED_ASSURANCE,
        reason: 'card_unblock',
        requestedBy: req.actor.id,
        unblock: { cardId: s.card.id, brand: s.card.brand, last4: s.card.last4 },
      });
    }
    const code = FRAUD_UNBLOCK_NEEDS_APPROVAL;
    refusals.inc({ app_asked: String(askApp) });
    await this.audit.append({
      actor: req.actor.id,
      action: 'card.unblock.refused',
      subject: `card:${s.card.id}`,
      detail: { ...detail, code, approvalId: approval.id, stepUp: askApp },
    });
    await this.events.notice(
      conversationId,
      noticeMsgId('action.refused', `${approval.id}:${req.idempotencyKey}`),
      'action.refused',
      { cardId: s.card.id, by: req.actor.id, code, approvalId: approval.id },
    );
    throw new FraudUnblockNeedsApprovalError(
      refusalReason(missing, approval.id, hasApp),
      approval.id,
    );
  }
}
