import type { ApprovalView } from '@omnigate/contracts';
import type { ApprovalRow } from '@omnigate/store';
import { REQUIRED_ASSURANCE } from './unblock-guard.rule';

/**
 * An approval as supervisors list it. A step-up bound to an action (its row's target is the card)
 * shows the level it asks for, as every step-up does: it is the customer's to answer, and the
 * supervisors' list names a card only on the requests they decide. Pure.
 */
export function toApprovalView(a: ApprovalRow): ApprovalView {
  return {
    id: a.id,
    kind: a.kind,
    customerId: a.customerId,
    conversationId: a.conversationId,
    target: a.kind === 'step_up' && a.action !== null ? REQUIRED_ASSURANCE : a.target,
    requestedBy: a.requestedBy,
    status: a.status,
    decidedBy: a.decidedBy,
    reason: a.reason,
    createdAt: a.createdAt.toISOString(),
    expiresAt: a.expiresAt.toISOString(),
    decidedAt: a.decidedAt?.toISOString() ?? null,
  };
}

/** The msgId of a timeline notice: one per code and cause, so a retried action adds nothing. */
export function noticeMsgId(code: string, cause: string): string {
  return `notice:${code}:${cause}`;
}
