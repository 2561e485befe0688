import type { ApprovalView } from '@omnigate/contracts';
import type { ApprovalRow } from '@omnigate/store';

export function toApprovalView(a: ApprovalRow): ApprovalView {
  return {
    id: a.id,
    kind: a.kind,
    customerId: a.customerId,
    conversationId: a.conversationId,
    target: a.target,
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
