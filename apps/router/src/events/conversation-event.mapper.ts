import { createHash } from 'node:crypto';
import { CONVERSATION_EVENT_V1, ChannelSchema, IntentSchema } from '@omnigate/contracts';
import type {
  Channel,
  ConversationEventBody,
  ConversationEventV1,
  ConversationSummary,
} from '@omnigate/contracts';
import type { ConversationRow, CustomerRow } from '@omnigate/store';

/** A stored channel name as the contract's Channel (rows hold plain text). */
export function asChannel(value: string): Channel {
  return ChannelSchema.parse(value);
}

/** Conversation + customer rows → the summary consoles list. Pure. */
export function toConversationSummary(
  conversation: ConversationRow,
  customer: CustomerRow,
): ConversationSummary {
  return {
    id: conversation.id,
    status: conversation.status,
    customer: {
      id: customer.id,
      displayName: customer.displayName,
      verified: customer.kind === 'customer',
    },
    lastChannel: asChannel(conversation.lastChannel),
    lastMessageAt: conversation.lastMessageAt.toISOString(),
    lastMessagePreview: conversation.lastMessagePreview,
    channels: conversation.channels
      .filter((c) => ChannelSchema.safeParse(c).success)
      .map(asChannel),
    queue: conversation.queue,
    priority: conversation.priority,
    control: conversation.control,
    assignedAgent: conversation.assignedAgent,
    intent: IntentSchema.safeParse(conversation.intent).data ?? null,
  };
}

/**
 * The event envelope. Its id is derived from the JetStream msgId, so a re-published event (after
 * a crash, past the dedupe window) carries the same id and consumers can drop it. Pure.
 */
export function toConversationEvent(
  conversationId: string,
  msgId: string,
  event: ConversationEventBody,
  now: Date,
): ConversationEventV1 {
  return {
    type: CONVERSATION_EVENT_V1,
    version: 1,
    id: nameBasedUuid(msgId),
    occurredAt: now.toISOString(),
    conversationId,
    event,
  };
}

export const EventMsgIds = {
  created: (messageId: string) => `conv:${messageId}:created`,
  status: (messageId: string, state: string) => `conv:${messageId}:status:${state}`,
  consent: (messageId: string) => `conv:${messageId}:consent`,
};

/** RFC 9562 version-5-style UUID (SHA-1 of a name in our own namespace). */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update('omnigate:conv-event:').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
