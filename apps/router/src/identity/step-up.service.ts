import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AssuranceLevel,
  DecideStepUpRequestV1,
  DecideStepUpResponseV1,
  StepUpAction,
  StepUpOperation,
} from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import {
  AuditLogRepository,
  ConversationsRepository,
  IdentitiesRepository,
  MessagesRepository,
  StepUpApprovalsRepository,
} from '@omnigate/store';
import type { ApprovalRow, ConversationWithCustomer } from '@omnigate/store';
import { AssuranceService } from '../session/assurance.service';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { asChannel } from '../events/conversation-event.mapper';
import { ConversationEventsService } from '../events/conversation-events.service';
import { OutboundDispatch } from '../outbound/outbound-dispatch.service';
import { ConversationNotFoundError } from '../shared/router.errors';
import { CODE_HASH_KEY } from './link-code.service';
import { StepUpAlreadyDecidedConflict, StepUpNotFoundError } from './step-up.errors';
import { checkApproval, newNonce, nonceHash, nonceMatches } from './step-up.mapper';
import { stepUps } from './step-up.metrics';
import { stepUpText } from './step-up-text.mapper';

export interface StepUpRequest {
  customerId: string;
  conversationId: string;
  /** The login level an approval needs (shown to the app). */
  level: AssuranceLevel;
  /** Why, as a code (audited, shown to agents); never personal data. */
  reason: string;
  /** Who asks: an agent id, or 'bot'. */
  requestedBy: string;
  /** The card an approval lets `requestedBy` unblock, once; without it the step-up authorises nothing. */
  unblock?: { cardId: string; brand: string; last4: string };
}

/**
 * Step-up with dynamic linking (PSD2): a request pushed to the customer's app naming the action,
 * the card, who asks, through which channel and why, with a one-time nonce and an expiry of a
 * few minutes. The app's approval (a fresh strong login, the nonce echoed) authorises exactly that
 * action once, until it expires; it raises no assurance level on any channel.
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
    @Inject(CODE_HASH_KEY) private readonly hashKey: string,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** `pushed: false` when the customer has no app to ask: the caller tells the agent. */
  async request(req: StepUpRequest): Promise<{ approvalId: string; pushed: boolean }> {
    const found = await this.conversations.get(req.conversationId);
    if (!found || found.customer.id !== req.customerId) throw new ConversationNotFoundError();
    const app = (await this.identities.listForCustomer(req.customerId)).find(
      (i) => i.channel === 'inapp' && i.status === 'linked',
    );
    const id = randomUUID();
    const nonce = newNonce();
    const operation = operationOf(req, found, Date.now() + this.config.STEP_UP_TTL_MS);
    await this.approvals.create({
      id,
      customerId: req.customerId,
      conversationId: req.conversationId,
      action: req.unblock ? operation.action : null,
      target: req.unblock?.cardId ?? req.level,
      requestedBy: req.requestedBy,
      requesterChannel: operation.via,
      reason: req.reason,
      nonceHash: nonceHash(this.hashKey, id, nonce),
      expiresAt: new Date(operation.expiresAt),
    });
    stepUps.inc({ action: operation.action, outcome: 'requested' });
    const detail = {
      approvalId: id,
      level: req.level,
      requestedBy: req.requestedBy,
      action: operation.action,
      via: operation.via,
      ...(req.unblock ? { cardId: req.unblock.cardId } : {}),
      pushed: app !== undefined,
    };
    await this.audit.append({
      actor: req.requestedBy,
      action: 'step_up.requested',
      subject: id,
      detail,
    });
    await this.events.notice(req.conversationId, `step-up:${id}:requested`, 'step_up.requested', {
      ...detail,
    });
    if (!app) return { approvalId: id, pushed: false };
    const ttlMinutes = Math.max(1, Math.round(this.config.STEP_UP_TTL_MS / 60_000));
    const { message, conversation } = await this.messages.appendOutbound({
      conversationId: req.conversationId,
      channel: 'inapp',
      address: app.address,
      body: stepUpText(operation, ttlMinutes),
      authorKind: 'system',
      authorId: 'step_up',
      dedupeKey: `step-up:${id}`,
      customerId: req.customerId,
    });
    await this.dispatch.handOut(message, {
      author: { kind: 'system', id: message.authorId ?? 'identity' },
      action: { kind: 'step_up', approvalId: id, level: req.level, nonce, operation },
    });
    await this.events.messageCreated(conversation, found.customer, message);
    return { approvalId: id, pushed: true };
  }

  /** The app's answer, with what the gateway read from the JWT and the nonce the push carried. */
  async decide(req: DecideStepUpRequestV1): Promise<DecideStepUpResponseV1> {
    const approval = await this.approvals.get(req.approvalId);
    const app = await this.identities.findActive('inapp', req.appUserId);
    if (!approval || app?.identity.status !== 'linked' || app.customer.id !== approval.customerId) {
      throw new StepUpNotFoundError();
    }
    const action = actionOf(approval);
    const now = Date.now();
    const nonceOk = nonceMatches(this.hashKey, approval, req.nonce);
    const check = checkApproval(approval, req, now, this.config.STEP_UP_MAX_AUTH_AGE_MS, nonceOk);
    if (check.expire && (await this.approvals.decide(approval.id, 'expired', null))) {
      stepUps.inc({ action, outcome: 'expired' });
    }
    if (check.error) {
      if (!check.expire) stepUps.inc({ action, outcome: 'refused' });
      throw check.error;
    }
    const status = req.approve ? 'approved' : 'rejected';
    // An approval is usable for a few minutes from now, once (see use()).
    const usableUntil = new Date(now + this.config.STEP_UP_TTL_MS);
    const decided = await this.approvals.decide(
      approval.id,
      status,
      'customer',
      req.approve ? usableUntil : undefined,
    );
    // Another answer (a second device) won the race.
    if (!decided) throw new StepUpAlreadyDecidedConflict('decided');
    stepUps.inc({ action, outcome: status });
    await this.announce(decided, status);
    const current = await this.assurance.current(approval.customerId, now, 'inapp');
    return {
      approvalId: approval.id,
      status,
      level: current.level,
      expiresAt: req.approve ? usableUntil.toISOString() : null,
      ...(req.approve && approval.action ? { authorises: action } : {}),
    };
  }

  /** The newest approved, unexpired (not yet used) step-up for `agentId` to unblock this card. */
  approvedUnblock(
    customerId: string,
    cardId: string,
    agentId: string,
  ): Promise<ApprovalRow | null> {
    return this.approvals.newestFor(customerId, 'unblock_card', cardId, 'approved', agentId);
  }

  /** Whether a request to unblock this card is already waiting for the customer's answer. */
  async pendingUnblock(customerId: string, cardId: string): Promise<boolean> {
    return (await this.approvals.newestFor(customerId, 'unblock_card', cardId, 'pending')) !== null;
  }

  /**
   * Uses an approval for its action, once: approved → executed while unexpired. Null when it was
   * used already (a replay, a concurrent click) or lapsed meanwhile.
   */
  async use(approvalId: string, actorId: string): Promise<ApprovalRow | null> {
    const used = await this.approvals.consume(approvalId);
    const action = used ? actionOf(used) : 'unblock_card';
    stepUps.inc({ action, outcome: used ? 'used' : 'use_refused' });
    if (used) {
      await this.audit.append({
        actor: actorId,
        action: 'step_up.used',
        subject: approvalId,
        detail: { action, target: used.target, customerId: used.customerId },
      });
    }
    return used;
  }

  /** Gives a used approval back when its action could not be carried out (core banking down). */
  async release(approvalId: string, cause: unknown): Promise<void> {
    await this.approvals.release(approvalId);
    await this.audit.append({
      actor: 'router',
      action: 'step_up.released',
      subject: approvalId,
      detail: { code: cause instanceof AppError ? cause.code : 'INTERNAL' },
    });
  }

  private async announce(approval: ApprovalRow, status: 'approved' | 'rejected'): Promise<void> {
    const detail = {
      approvalId: approval.id,
      action: actionOf(approval),
      target: approval.target,
      requestedBy: approval.requestedBy,
    };
    await this.audit.append({
      actor: 'customer',
      action: `step_up.${status}`,
      subject: approval.id,
      detail,
    });
    if (approval.conversationId) {
      await this.events.notice(
        approval.conversationId,
        `step-up:${approval.id}:${status}`,
        `step_up.${status}`,
        detail,
      );
    }
  }
}

function actionOf(approval: Pick<ApprovalRow, 'action'>): StepUpAction {
  return approval.action === 'unblock_card' ? 'unblock_card' : 'confirm_identity';
}

/** What the app shows and an approval authorises: action, card, who, via which channel, why. */
function operationOf(
  req: StepUpRequest,
  found: ConversationWithCustomer,
  expiresAt: number,
): StepUpOperation {
  return {
    action: req.unblock ? 'unblock_card' : 'confirm_identity',
    ...(req.unblock ? { card: { brand: req.unblock.brand, last4: req.unblock.last4 } } : {}),
    requestedBy: { kind: req.requestedBy === 'bot' ? 'bot' : 'agent', id: req.requestedBy },
    via: asChannel(found.conversation.lastChannel),
    reason: req.unblock ? 'fraud_block' : 'identity_check',
    expiresAt: new Date(expiresAt).toISOString(),
  };
}
