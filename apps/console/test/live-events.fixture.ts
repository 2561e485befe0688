import { randomUUID } from 'node:crypto';
import { CONVERSATION_EVENT_V1 } from '@omnigate/contracts';
import type { ConversationEventV1, Skill } from '@omnigate/contracts';

/** A customer's SMS as the router announces it on the bus (with its queue when given). */
export function messageCreated(
  conversationId: string,
  text: string,
  queue?: Skill,
): ConversationEventV1 {
  const at = new Date().toISOString();
  return {
    type: CONVERSATION_EVENT_V1,
    version: 1,
    id: randomUUID(),
    occurredAt: at,
    conversationId,
    event: {
      kind: 'message.created',
      conversation: {
        id: conversationId,
        status: 'open',
        customer: { id: randomUUID(), displayName: 'Giulia Bianchi', verified: true },
        lastChannel: 'sms',
        lastMessageAt: at,
        lastMessagePreview: text,
        channels: ['sms'],
        ...(queue && { queue }),
      },
      message: {
        id: randomUUID(),
        conversationId,
        seq: 1,
        direction: 'inbound',
        channel: 'sms',
        kind: 'text',
        text,
        attachments: [],
        author: { kind: 'customer', id: null },
        status: null,
        statusError: null,
        clientMsgId: null,
        createdAt: at,
      },
    },
  };
}
