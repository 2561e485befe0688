import { assuranceAtLeast } from '@omnigate/contracts';
import type { Actor, AssuranceLevel } from '@omnigate/contracts';

/** What the guard needs to know about an approval for this card (the newest usable one). */
export interface GuardApproval {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'executed' | 'expired';
  requestedBy: string;
  decidedBy: string | null;
}

export interface UnblockGuardInput {
  card: { blockedBy: 'fraud_engine' | 'customer' | 'bank' | null };
  requester: Actor;
  /** The customer's effective assurance right now. */
  assurance: AssuranceLevel;
  approval: GuardApproval | null;
}

export type UnblockBasis = 'not_fraud' | 'assurance' | 'approval';

export type UnblockDecision =
  | { allowed: true; basis: UnblockBasis; approvalId: string | null }
  | { allowed: false; code: typeof FRAUD_UNBLOCK_NEEDS_APPROVAL; missing: string };

export const FRAUD_UNBLOCK_NEEDS_APPROVAL = 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL';
export const REQUIRED_ASSURANCE: AssuranceLevel = 'strong';

/**
 * Who may unblock a card. A block that is not the fraud engine's: any agent. A fraud-engine
 * block: only with the customer's strong assurance now, or an approval decided by a supervisor
 * (or admin) who is neither the requester of the approval nor the agent asking now: two
 * different people. Pure; the approval's decider role is checked when it is decided.
 */
export function decideUnblock(input: UnblockGuardInput): UnblockDecision {
  if (input.card.blockedBy !== 'fraud_engine') {
    return { allowed: true, basis: 'not_fraud', approvalId: null };
  }
  if (assuranceAtLeast(input.assurance, REQUIRED_ASSURANCE)) {
    return { allowed: true, basis: 'assurance', approvalId: null };
  }
  const a = input.approval;
  if (
    a &&
    a.status === 'approved' &&
    a.decidedBy !== null &&
    a.decidedBy !== a.requestedBy &&
    a.decidedBy !== input.requester.id
  ) {
    return { allowed: true, basis: 'approval', approvalId: a.id };
  }
  return {
    allowed: false,
    code: FRAUD_UNBLOCK_NEEDS_APPROVAL,
    missing: `the customer's assurance is ${input.assurance} (needs ${REQUIRED_ASSURANCE})`,
  };
}

/** The refusal an agent reads (English, for the console), naming what is missing and who can fix it. */
export function refusalReason(
  missing: string,
  approvalId: string,
  customerHasApp: boolean,
): string {
  const customer = customerHasApp
    ? ' or ask the customer to confirm in the app (a request was sent)'
    : ' (the customer has no app to confirm in)';
  return (
    `the fraud engine blocked this card; ${missing}: ask a supervisor (another person) ` +
    `to approve request ${approvalId}${customer}`
  );
}
