import { z } from 'zod';
import {
  APPROVAL_STATUSES,
  CardActionRequestV1Schema,
  DecideApprovalRequestV1Schema,
  TicketActionRequestV1Schema,
  schemeDisputeIssues,
} from '@omnigate/contracts';

/** Limits come from the router contracts where they exist, so both edges agree. */
export const CardIdSchema = CardActionRequestV1Schema.shape.cardId;
export const TicketIdSchema = z.uuid({ error: 'must be a ticket id (a UUID)' });
export const ApprovalIdSchema = z.uuid({ error: 'must be an approval id (a UUID)' });

export const CardActionBodySchema = z.object({
  /** Why: kept in the audit trail and by core banking, never shown to the customer. */
  reason: CardActionRequestV1Schema.shape.reason,
  /** Send the same key when retrying a click: the customer is notified once. */
  idempotencyKey: CardActionRequestV1Schema.shape.idempotencyKey.optional(),
});
export type CardActionBody = z.infer<typeof CardActionBodySchema>;

const TicketAction = TicketActionRequestV1Schema.shape;

/**
 * A complaint or card dispute starts its regulatory clock; `other` (the default) runs none. A card
 * dispute that names its scheme, reason and the transaction's processing date also runs the
 * scheme's time limit.
 */
export const OpenTicketBodySchema = z
  .object({
    subject: z.string().trim().min(1).max(200),
    kind: TicketAction.kind,
    disputeType: TicketAction.disputeType,
    jurisdiction: TicketAction.jurisdiction,
    cardScheme: TicketAction.cardScheme,
    schemeReason: TicketAction.schemeReason,
    transactionProcessedOn: TicketAction.transactionProcessedOn,
    deliveryOn: TicketAction.deliveryOn,
  })
  .superRefine((b, ctx) => {
    if ((b.kind === 'card_dispute') !== (b.disputeType !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['disputeType'],
        message: 'a card dispute needs its dispute type, and only a card dispute has one',
      });
    }
    for (const [path, message] of schemeDisputeIssues(b.kind, b)) {
      ctx.addIssue({ code: 'custom', path: [path], message });
    }
  });
export type OpenTicketBody = z.infer<typeof OpenTicketBodySchema>;

export const ResolveTicketBodySchema = z.object({
  /** Told to the customer in the app and by SMS. */
  resolution: z.string().trim().min(1).max(1000),
  /** Optional: the router uses the ticket's own conversation when absent. */
  conversationId: z.uuid().optional(),
});
export type ResolveTicketBody = z.infer<typeof ResolveTicketBodySchema>;

/** A holding reply was sent to the customer (US card disputes: provisional credit, acknowledgement). */
export const HoldingReplyBodySchema = z
  .object({
    /** Optional: an agent names the conversation so that the queue guard can check it. */
    conversationId: z.uuid().optional(),
  })
  .default({});
export type HoldingReplyBody = z.infer<typeof HoldingReplyBodySchema>;

/** The card dispute was raised with its scheme (Visa dispute, Mastercard chargeback). */
export const SchemeRaisedBodySchema = HoldingReplyBodySchema;
export type SchemeRaisedBody = HoldingReplyBody;

/** The body may be left out: a reason is optional. */
export const DecisionBodySchema = z
  .object({ reason: DecideApprovalRequestV1Schema.shape.reason })
  .default({});
export type DecisionBody = z.infer<typeof DecisionBodySchema>;

export const ListApprovalsQuerySchema = z.object({
  status: z.enum(APPROVAL_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListApprovalsQuery = z.infer<typeof ListApprovalsQuerySchema>;
