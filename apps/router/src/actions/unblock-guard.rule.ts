import type { Actor, AssuranceLevel } from '@omnigate/contracts';

/** What the guard needs to know about a supervisor's approval for this card (the newest usable one). */
export interface GuardApproval {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'executed' | 'expired';
  requestedBy: string;
  decidedBy: string | null;
}

/** What the guard needs to know about the customer's approval in the app (a bound step-up). */
export interface GuardStepUp {
  id: string;
  status: GuardApproval['status'];
  customerId: string;
  conversationId: string | null;
  action: string | null;
  target: string;
  requestedBy: string;
  expiresAt: Date;
}

export interface UnblockGuardInput {
  card: { id: string; blockedBy: 'fraud_engine' | 'customer' | 'bank' | null };
  customerId: string;
  conversationId: string;
  requester: Actor;
  approval: GuardApproval | null;
  stepUp: GuardStepUp | null;
  now: number;
}

export type UnblockBasis = 'not_fraud' | 'approval' | 'step_up';

export type UnblockDecision =
  | { allowed: true; basis: UnblockBasis; approvalId: string | null }
  | { allowed: false; code: typeof FRAUD_UNBLOCK_NEEDS_APPROVAL; missing: string };

export const FRAUD_UNBLOCK_NEEDS_APPROVAL = 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL';
/** The login an approval in the app needs (biometric / SCA), shown with the request. */
export const REQUIRED_ASSURANCE: AssuranceLevel = 'strong';

export const NOT_APPROVED =
  'neither a supervisor nor the customer (in the app, for this unblock) has approved it';

/**
 * Who may unblock a card. A block that is not the fraud engine's: any agent. A fraud-engine
 * block: only on an approval decided by a supervisor (or admin) who is neither its requester nor
 * the agent asking now (two different people), or on the customer's approval in the app of this
 * very unblock (dynamic linking, see stepUpAuthorises). No assurance level alone unblocks it: a
 * strong login proves who holds the app, not what they agreed to. Pure; the approval's decider
 * role is checked when it is decided, single use when the step-up is used.
 */
export function decideUnblock(input: UnblockGuardInput): UnblockDecision {
  if (input.card.blockedBy !== 'fraud_engine') {
    return { allowed: true, basis: 'not_fraud', approvalId: null };
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
  if (input.stepUp && stepUpAuthorises(input.stepUp, input)) {
    return { allowed: true, basis: 'step_up', approvalId: input.stepUp.id };
  }
  return { allowed: false, code: FRAUD_UNBLOCK_NEEDS_APPROVAL, missing: NOT_APPROVED };
}

/**
 * Whether the customer's approval in the app covers this unblock: approved and not used yet,
 * unexpired, for unblocking this card of this customer, asked in this conversation by the agent
 * asking now. Anything else (another card, another action, another agent, a used or lapsed
 * approval) is not covered. Pure.
 */
export function stepUpAuthorises(
  s: GuardStepUp,
  u: Pick<UnblockGuardInput, 'card' | 'customerId' | 'conversationId' | 'requester' | 'now'>,
): boolean {
  return (
    s.status === 'approved' &&
    s.action === 'unblock_card' &&
    s.target === u.card.id &&
    s.customerId === u.customerId &&
    s.conversationId === u.conversationId &&
    s.requestedBy === u.requester.id &&
    s.expiresAt.getTime() > u.now
  );
}

/** The refusal an agent reads (English, for the console), naming what is missing and who can fix it. */
export function refusalReason(
  missing: string,
  approvalId: string,
  customerHasApp: boolean,
): string {
  const customer = customerHasApp
    ? ' or ask the customer to approve this unblock in the app (a request naming it was sent)'
    : ' (the customer has no app to approve in)';
  return (
    `the fraud engine blocked this card; ${missing}: ask a supervisor (another person) ` +
    `to approve request ${approvalId}${customer}`
  );
}
