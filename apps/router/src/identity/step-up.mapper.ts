import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AppError } from '@omnigate/kit';
import type { DecideStepUpRequestV1 } from '@omnigate/contracts';
import type { ApprovalRow } from '@omnigate/store';
import {
  StepUpAlreadyDecidedConflict,
  StepUpExpiredError,
  StepUpNonceInvalidError,
  StepUpStaleLoginError,
  StepUpWeakLoginError,
} from './step-up.errors';

/** A fresh one-time nonce: 128 random bits, base64url (sent only in the push to the app). */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

/** The keyed hash kept instead of the nonce, bound to its request. Pure. */
export function nonceHash(key: string, approvalId: string, nonce: string): string {
  return createHmac('sha256', key).update(`step-up:${approvalId}:${nonce}`).digest('hex');
}

/** Whether `nonce` is the one issued for this request (constant time). Pure. */
export function nonceMatches(
  key: string,
  approval: Pick<ApprovalRow, 'id' | 'nonceHash'>,
  nonce: string | undefined,
): boolean {
  // A request from before nonces (none stored) is bound to no action: nothing to protect.
  if (approval.nonceHash === null) return true;
  if (nonce === undefined) return false;
  const got = Buffer.from(nonceHash(key, approval.id, nonce), 'hex');
  const want = Buffer.from(approval.nonceHash, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * May this answer decide this request now? Pending and unexpired; approving also needs the nonce
 * the push carried and the JWT itself strong (biometric / SCA) and fresh. A refusal ("no") needs
 * none of these. Pure.
 */
export function checkApproval(
  approval: Pick<ApprovalRow, 'status' | 'expiresAt'>,
  req: Pick<DecideStepUpRequestV1, 'approve' | 'assurance' | 'authenticatedAt'>,
  now: number,
  maxAuthAgeMs: number,
  nonceOk: boolean,
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
  if (!nonceOk) return { error: new StepUpNonceInvalidError(), expire: false };
  if (req.assurance !== 'strong') return { error: new StepUpWeakLoginError(), expire: false };
  const at = req.authenticatedAt ? Date.parse(req.authenticatedAt) : NaN;
  if (!(at <= now + 30_000 && now - at <= maxAuthAgeMs)) {
    return { error: new StepUpStaleLoginError(maxAuthAgeMs), expire: false };
  }
  return { error: null, expire: false };
}
