import type { AppError } from '@omnigate/kit';
import type { DecideStepUpRequestV1 } from '@omnigate/contracts';
import type { ApprovalRow } from '@omnigate/store';
import {
  StepUpAlreadyDecidedConflict,
  StepUpExpiredError,
  StepUpStaleLoginError,
  StepUpWeakLoginError,
} from './step-up.errors';

/**
 * May this answer decide this request now? Pending and unexpired; approving also needs the JWT
 * itself strong (biometric / SCA) and fresh. A refusal ("no") needs neither. Pure.
 */
export function checkApproval(
  approval: Pick<ApprovalRow, 'status' | 'expiresAt'>,
  req: Pick<DecideStepUpRequestV1, 'approve' | 'assurance' | 'authenticatedAt'>,
  now: number,
  maxAuthAgeMs: number,
): { error: AppError | null; expire: boolean } {
  if (approval.status !== 'pending') {
    const error =
      approval.status === 'expired'
        ? new StepUpExpiredError()
        : new StepUpAlreadyDecidedConflict(approval.status);
    return { error, expire: false };
  }
  if (approval.expiresAt.getTime() <= now) return { error: new StepUpExpiredError(), expire: true };
  if (!req.approve) return { error: null, expire: false };
  if (req.assurance !== 'strong') return { error: new StepUpWeakLoginError(), expire: false };
  const at = req.authenticatedAt ? Date.parse(req.authenticatedAt) : NaN;
  if (!(at <= now + 30_000 && now - at <= maxAuthAgeMs)) {
    return { error: new StepUpStaleLoginError(maxAuthAgeMs), expire: false };
  }
  return { error: null, expire: false };
}
