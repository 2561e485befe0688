import { z } from 'zod';
import { ChannelSchema } from '../channel';
import { DeliveryStateSchema } from '../delivery-state';
import { envelopeFields, redactionSchema } from '../envelope';
import { ConversationSummarySchema, MessageViewSchema } from '../views';
import { ControlStateSchema, IntentSchema, PrioritySchema, SkillSchema } from '../context/intent';
import { ConsentPurposeSchema, ConsentSourceSchema } from '../consent/consent-policy';

export const CONVERSATION_EVENT_V1 = 'omnigate.conv.event.v1';

const messageCreated = z.object({
  kind: z.literal('message.created'),
  conversation: ConversationSummarySchema,
  message: MessageViewSchema,
  /**
   * Cards the gateway redacted from this (inbound) message: the reference that replaced each
   * number, its brand and last four, never the number. Added for the journey projection, which
   * counts a card the customer gives again as context lost; older producers leave it out.
   */
  cards: z.array(redactionSchema).max(100).optional(),
  /**
   * An inbound message's InboundMessage `sentAt`: when the customer sent it, as the provider
   * recorded it. The journey projection times customer messages by it (a message that arrived
   * late still started the journey when it was written); `message.createdAt` stays the time the
   * router stored it. Optional: older producers and channels without a provider time leave it out.
   */
  sentAt: z.iso.datetime({ offset: true }).optional(),
});
const messageStatus = z.object({
  kind: z.literal('message.status'),
  messageId: z.uuid(),
  state: DeliveryStateSchema,
  error: z.object({ code: z.string(), reason: z.string() }).nullable(),
});
/**
 * The customer's consent changed on a channel. A STOP/START keyword: no `purpose` (it changes
 * every purpose it applies to) and no `source`. A decision in the app: the one `purpose` it
 * changed, `optedOut` = not granted, `source` 'app'.
 */
const consentChanged = z.object({
  kind: z.literal('consent.changed'),
  channel: ChannelSchema,
  optedOut: z.boolean(),
  purpose: ConsentPurposeSchema.optional(),
  source: ConsentSourceSchema.optional(),
});

/** Routing or control changed: queue, priority, who answers (bot/agent), assignment. */
const routingChanged = z.object({
  kind: z.literal('routing.changed'),
  queue: SkillSchema,
  priority: PrioritySchema,
  control: ControlStateSchema,
  assignedAgent: z.string().nullable(),
  intent: IntentSchema.nullable(),
  /** Why, for the console's timeline: fraud_alert_linked, handoff, agent_took_over, released, … */
  reason: z.string().max(64),
  fraudAlertId: z.uuid().nullable().optional(),
  /** When core banking raised the linked fraud signal (fraud signal → resolution time). */
  fraudSignalAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
/** Something an agent should see in the timeline: a step-up asked/approved, a card (un)blocked, … */
const noticeAdded = z.object({
  kind: z.literal('notice'),
  code: z.string().max(64),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/** What consoles consume, on `conv.v1.<conversationId>.event`. */
export const ConversationEventV1Schema = z.object({
  type: z.literal(CONVERSATION_EVENT_V1),
  version: z.literal(1),
  ...envelopeFields,
  conversationId: z.uuid(),
  event: z.discriminatedUnion('kind', [
    messageCreated,
    messageStatus,
    consentChanged,
    routingChanged,
    noticeAdded,
  ]),
});
export type ConversationEventV1 = z.infer<typeof ConversationEventV1Schema>;
export type ConversationEventBody = ConversationEventV1['event'];
