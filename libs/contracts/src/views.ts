import { z } from 'zod';
import { AssuranceLevelSchema, AssuranceStateSchema } from './assurance';
import { ControlStateSchema, IntentSchema, PrioritySchema, SkillSchema } from './context/intent';
import { AttachmentRefSchema } from './attachment-ref';
import { ChannelSchema } from './channel';
import { DeliveryStateSchema } from './delivery-state';
import { JurisdictionSchema, TicketClockViewSchema, TicketKindSchema } from './ticket-clock';
import { CardSchemeSchema } from './card-scheme-dispute';

/** One message as the console and the app see it: already redacted, with its channel and status. */
export const MessageViewSchema = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  seq: z.number().int().positive(),
  direction: z.enum(['inbound', 'outbound']),
  channel: ChannelSchema,
  kind: z.enum(['text', 'optout', 'optin', 'help', 'system']),
  text: z.string(),
  attachments: z.array(AttachmentRefSchema),
  author: z.object({
    kind: z.enum(['customer', 'agent', 'bot', 'system']),
    id: z.string().nullable(),
  }),
  /** Delivery state of an outbound message; null for inbound ones. */
  status: DeliveryStateSchema.nullable(),
  statusError: z.object({ code: z.string(), reason: z.string() }).nullable(),
  clientMsgId: z.string().nullable(),
  /**
   * Warnings for the agent, when there are any: `email_dmarc_fail` / `email_dmarc_unaligned` /
   * `email_dmarc_unverified` (the From address of this email is not proven: do not trust who it
   * claims to be; it is an unverified contact of its own), `email_command_refused` (it was a link
   * or consent command, ignored for that reason).
   */
  flags: z.array(z.string()).optional(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type MessageView = z.infer<typeof MessageViewSchema>;

export const CustomerRefSchema = z.object({
  id: z.uuid(),
  displayName: z.string().nullable(),
  /** False for an unverified contact: an address nobody has proven belongs to a bank customer. */
  verified: z.boolean(),
});
export type CustomerRef = z.infer<typeof CustomerRefSchema>;

export const ConversationSummarySchema = z.object({
  id: z.uuid(),
  status: z.enum(['open', 'closed']),
  customer: CustomerRefSchema,
  lastChannel: ChannelSchema,
  lastMessageAt: z.iso.datetime({ offset: true }),
  lastMessagePreview: z.string(),
  channels: z.array(ChannelSchema),
  /** Routing (optional in v1): skill queue, priority 1 (top) … 4, who answers, assigned agent. */
  queue: SkillSchema.optional(),
  priority: PrioritySchema.optional(),
  control: ControlStateSchema.optional(),
  assignedAgent: z.string().nullable().optional(),
  intent: IntentSchema.nullable().optional(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const CardViewSchema = z.object({
  id: z.string(),
  brand: z.string(),
  last4: z.string(),
  status: z.enum(['active', 'blocked']),
  blockReason: z.string().nullable(),
  blockedBy: z.enum(['fraud_engine', 'customer', 'bank']).nullable(),
});

export const TransactionViewSchema = z.object({
  id: z.string(),
  at: z.iso.datetime({ offset: true }),
  amountMinor: z.number().int(),
  currency: z.string().length(3),
  merchant: z.string(),
  status: z.string(),
  cardId: z.string().nullable(),
});

export const FraudAlertViewSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['card_blocked_by_fraud', 'sim_swap', 'new_device']),
  cardId: z.string().nullable(),
  transactionId: z.string().nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  status: z.enum(['open', 'resolved']),
  /** True when a message of this conversation was linked to the alert. */
  linked: z.boolean(),
});
export type FraudAlertView = z.infer<typeof FraudAlertViewSchema>;

/** The shared customer context attached for bot and agent. `available` false when core banking is down. */
export const CustomerContextV1Schema = z.object({
  customer: CustomerRefSchema,
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  linkedChannels: z.array(
    z.object({
      channel: ChannelSchema,
      address: z.string(),
      assurance: AssuranceLevelSchema,
      /** How the link was proven (link_code, otp, bank_verified_phone, app_jwt, …). */
      linkMethod: z.string().optional(),
      /** The identity row's id, for an agent's unlink. */
      identityId: z.uuid().optional(),
    }),
  ),
  cards: z.array(CardViewSchema),
  recentTransactions: z.array(TransactionViewSchema),
  /** `kind`, `jurisdiction` and `clock` came with the regulatory clocks; older readers ignore them. */
  openTickets: z.array(
    z.object({
      id: z.uuid(),
      subject: z.string(),
      status: z.string(),
      kind: TicketKindSchema.optional(),
      jurisdiction: JurisdictionSchema.optional(),
      clock: TicketClockViewSchema.nullable().optional(),
      /** A card dispute's scheme deadline (raising it with Visa or Mastercard); null: none. */
      cardScheme: CardSchemeSchema.nullable().optional(),
      schemeReason: z.string().nullable().optional(),
      schemeClock: TicketClockViewSchema.nullable().optional(),
    }),
  ),
  /** The customer's assurance right now (the session's, across channels), with its expiry. */
  assurance: AssuranceStateSchema.optional(),
  /** KYC status from core banking (verified, pending, missing_documents, …). */
  kycStatus: z.string().nullable().optional(),
  /** What onboarding still waits for (codes such as proof_of_address), when KYC is missing_documents. */
  missingDocuments: z.array(z.string()).optional(),
  /** Open fraud signals of this customer (newest first). */
  fraudAlerts: z.array(FraudAlertViewSchema).optional(),
  /** What the customer already told us in this conversation, so nobody asks again. */
  providedFacts: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  /** Routing of the conversation. */
  routing: z
    .object({
      queue: SkillSchema,
      priority: PrioritySchema,
      control: ControlStateSchema,
      assignedAgent: z.string().nullable(),
      intent: IntentSchema.nullable(),
    })
    .optional(),
});
export type CustomerContextV1 = z.infer<typeof CustomerContextV1Schema>;
