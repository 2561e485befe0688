import { Inject, Injectable } from '@nestjs/common';
import type {
  AssuranceLevel,
  AssuranceState,
  DecideStepUpRequestV1,
  DecideStepUpResponseV1,
} from '@omnigate/contracts';
import {
  AuditLogRepository,
  ConversationsRepository,
  IdentitiesRepository,
  MessagesRepository,
  StepUpApprovalsRepository,
} from '@omnigate/store';
import type { ApprovalRow } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { ConversationEventsService } from '../events/conversation-events.service';
import { OutboundDispatch } from '../outbound/outbound-dispatch.service';
import { stepUpText } from './link-reply.mapper';
import { ConversationNotFoundError } from '../shared/router.errors';
import { checkApproval } from './step-up.mapper';
import { StepUpAlreadyDecidedConflict, StepUpNotFoundError } from './step-up.errors';

export interface StepUpRequest {
  customerId: string;
  conversationId: string;
  level: AssuranceLevel;
  /** Why (shown to agents in the timeline, audited); never personal data. */
  reason: string;
  /** Who asks: an agent id, or 'bot'. */
  requestedBy: string;
}

/**
 * Step-up: an approval request pushed to the customer's app; the app's approval with a fresh
 * strong login raises the session to strong for the whole conversation, on every channel.
 */
@Injectable()
export class StepUpService {
  constructor(
    private readonly approvals: StepUpApprovalsRepository,
    private readonly identities: IdentitiesRepository,
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly dispatch: OutboundDispatch,
    private readonly events: ConversationEventsService,
    private readonly audit: AuditLogRepository,
    private readonly assurance: AssuranceService,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** `pushed: false` when the customer has no app to ask: the caller tells the agent. */
  async request(req: StepUpRequest): Promise<{ approvalId: string; pushed: boolean }> {
    const found = await this.conversations.get(req.conversationId);
    if (!found || found.customer.id !== req.customerId) throw new ConversationNotFoundError();
    const app = (await this.identities.listForCustomer(req.customerId)).find(
      (i) => i.channel === 'inapp' && i.status === 'linked',
    );
    const approval = await this.approvals.create({
      customerId: req.customerId,
      conversationId: req.conversationId,
      level: req.level,
      requestedBy: req.requestedBy,
      reason: req.reason,
      expiresAt: new Date(Date.now() + this.config.STEP_UP_TTL_MS),
    });
    const detail = { approvalId: approval.id, level: req.level, requestedBy: req.requestedBy };
    await this.audit.append({
      actor: req.requestedBy,
      action: 'step_up.requested',
      subject: approval.id,
      detail: { ...detail, pushed: app !== undefined },
    });
    await this.events.notice(
      req.conversationId,
      `step-up:${approval.id}:requested`,
      'step_up.requested',
      {
        ...detail,
        pushed: app !== undefined,
      },
    );
    if (!app) return { approvalId: approval.id, pushed: false };
    const { message, conversation } = await this.messages.appendOutbound({
      conversationId: req.conversationId,
      channel: 'inapp',
      address: app.address,
      body: stepUpText(),
      authorKind: 'system',
      authorId: 'step_up',
      dedupeKey: `step-up:${approval.id}`,
    });
    await this.dispatch.handOut(message, {
      author: { kind: 'system', id: message.authorId ?? 'identity' },
      action: { kind: 'step_up', approvalId: approval.id, level: assuranceLevelOf(approval) },
    });
    await this.events.messageCreated(conversation, found.customer, message);
    return { approvalId: approval.id, pushed: true };
  }

  /** The app's answer, with what the gateway read from the JWT. */
  async decide(req: DecideStepUpRequestV1): Promise<DecideStepUpResponseV1> {
    const approval = await this.approvals.get(req.approvalId);
    const app = await this.identities.findActive('inapp', req.appUserId);
    if (!approval || app?.identity.status !== 'linked' || app.customer.id !== approval.customerId) {
      throw new StepUpNotFoundError();
    }
    const now = Date.now();
    const check = checkApproval(approval, req, now, this.config.STEP_UP_MAX_AUTH_AGE_MS);
    if (check.expire) await this.approvals.decide(approval.id, 'expired', null);
    if (check.error) throw check.error;
    const status = req.approve ? 'approved' : 'rejected';
    const decided = await this.approvals.decide(approval.id, status, 'customer');
    // Another answer (a second device) won the race.
    if (!decided) throw new StepUpAlreadyDecidedConflict('decided');
    let state: AssuranceState | null = null;
    if (req.approve) {
      state = {
        level: 'strong',
        reachedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + this.config.ASSURANCE_STRONG_TTL_MS).toISOString(),
        source: 'step_up',
        channel: 'inapp',
      };
      await this.assurance.raise(approval.customerId, state, now);
    }
    await this.announce(approval, status);
    const current = await this.assurance.current(approval.customerId, now);
    return {
      approvalId: approval.id,
      status,
      level: current.level,
      expiresAt: state?.expiresAt ?? null,
    };
  }

  private async announce(approval: ApprovalRow, status: 'approved' | 'rejected'): Promise<void> {
    await this.audit.append({
      actor: 'customer',
      action: `step_up.${status}`,
      subject: approval.id,
      detail: { level: approval.target },
    });
    if (approval.conversationId) {
      await this.events.notice(
        approval.conversationId,
        `step-up:${approval.id}:${status}`,
        `step_up.${status}`,
        { approvalId: approval.id, level: approval.target },
      );
    }
  }
}

function assuranceLevelOf(approval: ApprovalRow): AssuranceLevel {
  return approval.target === 'possession' || approval.target === 'app_session'
    ? approval.target
    : 'strong';
}
