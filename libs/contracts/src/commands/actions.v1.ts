import { z } from 'zod';
import { CardViewSchema } from '../views';
import { CardSchemeSchema, IsoDateSchema, schemeDisputeIssues } from '../card-scheme-dispute';
import {
  DisputeTypeSchema,
  JurisdictionSchema,
  TicketClockViewSchema,
  TicketKindSchema,
} from '../ticket-clock';

/**
 * Console → router: an agent's actions on the customer's cards and tickets, and the second
 * person's decision on a guarded action. The console fills `actor` from the agent's session;
 * the router decides with it and audits it.
 */
export const ACTOR_ROLES = ['agent', 'supervisor', 'admin'] as const;
export const ActorSchema = z.object({
  id: z.string().min(1).max(128),
  role: z.enum(ACTOR_ROLES),
});
export type Actor = z.infer<typeof ActorSchema>;

const ReasonSchema = z.string().trim().min(1).max(500);

export const CardActionRequestV1Schema = z.object({
  conversationId: z.uuid(),
  cardId: z.string().min(1).max(64),
  action: z.enum(['block', 'unblock']),
  actor: ActorSchema,
  /** Why, for the audit trail and core banking (never shown to the customer). */
  reason: ReasonSchema,
  /** Makes a retried click idempotent (one notification per key). */
  idempotencyKey: z.string().min(1).max(128),
});
export type CardActionRequestV1 = z.infer<typeof CardActionRequestV1Schema>;

export const CardActionResponseV1Schema = z.object({
  card: CardViewSchema,
  /** False when the card was already in the asked state (nothing done, nobody notified). */
  changed: z.boolean(),
  /**
   * What allowed an unblock: not a fraud block, a supervisor's approval, or the customer's
   * approval in the app of this very unblock (step_up). `assurance` is no longer produced (a
   * level alone never unblocks a fraud block); kept so v1 readers of older answers still parse.
   */
  basis: z.enum(['not_fraud', 'assurance', 'approval', 'block', 'step_up']),
  /** The customer notification sent for it (unblocks), null otherwise. */
  notificationId: z.string().nullable(),
});
export type CardActionResponseV1 = z.infer<typeof CardActionResponseV1Schema>;

/**
 * Open a ticket in a conversation (`subject`, and for a regulatory clock `kind`, `disputeType`,
 * `jurisdiction`; a card dispute may add its scheme, reason and the transaction's processing date
 * for the scheme's own deadline), resolve one (`ticketId`, `resolution`), record that a holding
 * reply was sent (`ticketId`; US card disputes: the provisional credit or the written
 * acknowledgement), which extends the clock when sent in time, or record that the dispute was
 * raised with the card scheme (`scheme_raised`), which stops the scheme clock. Resolving without
 * `conversationId` uses the ticket's own conversation.
 */
export const TicketActionRequestV1Schema = z
  .object({
    conversationId: z.uuid().optional(),
    action: z.enum(['open', 'resolve', 'holding_reply', 'scheme_raised']),
    ticketId: z.uuid().optional(),
    subject: z.string().trim().min(1).max(200).optional(),
    actor: ActorSchema,
    /** Told to the customer in the notification. */
    resolution: z.string().trim().min(1).max(1000).optional(),
    /** Absent: `other` (no clock), as before the clocks. */
    kind: TicketKindSchema.optional(),
    /** Required for a card_dispute, refused otherwise. */
    disputeType: DisputeTypeSchema.optional(),
    /** Absent: IT. */
    jurisdiction: JurisdictionSchema.optional(),
    /** A card dispute's scheme clock: the three together, or none (no scheme clock). */
    cardScheme: CardSchemeSchema.optional(),
    /** Visa dispute condition ('10.4') or Mastercard reason code ('4837') of that scheme. */
    schemeReason: z.string().trim().min(1).max(8).optional(),
    /** The transaction's processing date (Visa) / Central Site Business Date (Mastercard). */
    transactionProcessedOn: IsoDateSchema.optional(),
    /** When the goods or services were received or expected, or the credit receipt's date. */
    deliveryOn: IsoDateSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const need = (ok: boolean, path: string, message: string) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (r.action === 'open') {
      need(
        r.conversationId !== undefined,
        'conversationId',
        'opening a ticket needs the conversation',
      );
      need(r.subject !== undefined, 'subject', 'opening a ticket needs a subject');
      need(
        (r.kind === 'card_dispute') === (r.disputeType !== undefined),
        'disputeType',
        'a card dispute needs its dispute type, and only a card dispute has one',
      );
      for (const [path, message] of schemeDisputeIssues(r.kind, r)) need(false, path, message);
    } else if (r.action === 'holding_reply') {
      need(r.ticketId !== undefined, 'ticketId', 'a holding reply needs the ticket id');
    } else if (r.action === 'scheme_raised') {
      need(r.ticketId !== undefined, 'ticketId', 'raising with the scheme needs the ticket id');
    } else {
      need(r.ticketId !== undefined, 'ticketId', 'resolving needs the ticket id');
      need(
        r.resolution !== undefined,
        'resolution',
        'resolving needs a resolution for the customer',
      );
    }
  });
export type TicketActionRequestV1 = z.infer<typeof TicketActionRequestV1Schema>;

export const TicketViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid().nullable(),
  status: z.enum(['open', 'pending', 'closed']),
  /** Since the regulatory clocks; older readers ignore them. */
  kind: TicketKindSchema.optional(),
  disputeType: DisputeTypeSchema.nullable().optional(),
  jurisdiction: JurisdictionSchema.optional(),
  /** Null for a ticket without a clock (`other`). */
  clock: TicketClockViewSchema.nullable().optional(),
  /** A card dispute's scheme and its clock (null: no scheme given); older readers ignore them. */
  cardScheme: CardSchemeSchema.nullable().optional(),
  schemeReason: z.string().nullable().optional(),
  transactionProcessedOn: IsoDateSchema.nullable().optional(),
  deliveryOn: IsoDateSchema.nullable().optional(),
  schemeClock: TicketClockViewSchema.nullable().optional(),
});
export const TicketActionResponseV1Schema = z.object({
  ticket: TicketViewSchema,
  notificationId: z.string().nullable(),
});
export type TicketActionResponseV1 = z.infer<typeof TicketActionResponseV1Schema>;

export const APPROVAL_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'executed',
  'expired',
] as const;
export const ApprovalViewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['unblock_card', 'step_up']),
  customerId: z.uuid(),
  conversationId: z.uuid().nullable(),
  /** A card id (unblock_card) or the level asked for (step_up). */
  target: z.string(),
  requestedBy: z.string(),
  status: z.enum(APPROVAL_STATUSES),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  decidedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;

/**
 * A supervisor's (or admin's) decision on a pending unblock_card approval. Approving executes the
 * unblock at once; if core banking fails then, the approval stays `approved` and the agent's retry
 * of the unblock goes through on it.
 */
export const DecideApprovalRequestV1Schema = z.object({
  approvalId: z.uuid(),
  actor: ActorSchema,
  approve: z.boolean(),
  reason: ReasonSchema.optional(),
});
export type DecideApprovalRequestV1 = z.infer<typeof DecideApprovalRequestV1Schema>;
export const DecideApprovalResponseV1Schema = z.object({
  approval: ApprovalViewSchema,
  /** The card after the unblock (approved and executed), null when rejected or not executed. */
  card: CardViewSchema.nullable(),
  notificationId: z.string().nullable(),
});
export type DecideApprovalResponseV1 = z.infer<typeof DecideApprovalResponseV1Schema>;

export const ListApprovalsRequestV1Schema = z.object({
  status: z.enum(APPROVAL_STATUSES).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListApprovalsRequestV1 = z.input<typeof ListApprovalsRequestV1Schema>;
export const ListApprovalsResponseV1Schema = z.object({ approvals: z.array(ApprovalViewSchema) });
export type ListApprovalsResponseV1 = z.infer<typeof ListApprovalsResponseV1Schema>;
