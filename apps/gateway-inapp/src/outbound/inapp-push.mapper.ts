import { z } from 'zod';
import { MessageViewSchema, OutboundMessageV1Schema } from '@omnigate/contracts';
import type { MessageView, OutboundMessageV1 } from '@omnigate/contracts';

/**
 * Between instances of this gateway, on core NATS `inapp.v1.push.<user>` (Subjects.inappPush):
 * the instance that consumed the outbound message hands it to whichever instance holds the socket.
 */
export const InappPushV1Schema = z.object({
  appUserId: z.string().min(1).max(320),
  message: MessageViewSchema,
  /** A step-up approval request the app should offer to approve (OutboundMessageV1 `action`). */
  action: OutboundMessageV1Schema.shape.action,
});
export type InappPushV1 = z.infer<typeof InappPushV1Schema>;

/** An outbound message as the app shows it: with its conversation seq, like a resumed one. Pure. */
export function toPushView(out: OutboundMessageV1): MessageView {
  return {
    id: out.messageId,
    conversationId: out.conversationId,
    seq: out.seq,
    direction: 'outbound',
    channel: 'inapp',
    kind: 'text',
    text: out.text,
    attachments: out.attachments,
    author: { kind: out.author.kind, id: out.author.id },
    status: 'sent',
    statusError: null,
    clientMsgId: null,
    createdAt: out.occurredAt,
  };
}

export function toPush(out: OutboundMessageV1): InappPushV1 {
  return {
    appUserId: out.to.address,
    message: toPushView(out),
    ...(out.action ? { action: out.action } : {}),
  };
}
