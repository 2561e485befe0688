import { AppError } from '@omnigate/kit';
import { FRAUD_UNBLOCK_NEEDS_APPROVAL } from './unblock-guard.rule';

/**
 * An unblock of a fraud-engine block without the customer's strong assurance or a second
 * person's approval (→ 403). The message names what is missing and the approval to ask for.
 */
export class FraudUnblockNeedsApprovalError extends AppError {
  constructor(
    reason: string,
    readonly approvalId: string,
  ) {
    super(FRAUD_UNBLOCK_NEEDS_APPROVAL, reason);
  }
}

/** The supervisor deciding is the agent who asked for it (→ 403): two different people. */
export class SamePersonError extends AppError {
  constructor() {
    super(
      'ACTION.SAME_PERSON',
      'you asked for this unblock yourself: another supervisor must approve it',
    );
  }
}

/** Only a supervisor or an admin decides approvals (→ 403). */
export class ApproverForbiddenError extends AppError {
  constructor() {
    super('ACTION.APPROVER_FORBIDDEN', 'only a supervisor or an admin can decide an approval');
  }
}

/** The card is not one of this conversation's customer's cards (→ 404). */
export class CardNotFoundError extends AppError {
  constructor(cardId: string) {
    super('ACTION.CARD_NOT_FOUND', `the customer has no card ${cardId}`);
  }
}

export class TicketNotFoundError extends AppError {
  constructor(ticketId: string) {
    super('ACTION.TICKET_NOT_FOUND', `no ticket ${ticketId}`);
  }
}

/** The ticket is closed already, or belongs to another conversation (→ 409). */
export class TicketConflictError extends AppError {
  constructor(why: string) {
    super('ACTION.TICKET_CONFLICT', why);
  }
}

export class ApprovalNotFoundError extends AppError {
  constructor(approvalId: string) {
    super('ACTION.APPROVAL_NOT_FOUND', `no approval ${approvalId}`);
  }
}

/** The approval is not pending any more (decided, expired) or not one an agent decides (→ 409). */
export class ApprovalConflictError extends AppError {
  constructor(why: string) {
    super('ACTION.APPROVAL_CONFLICT', why);
  }
}
