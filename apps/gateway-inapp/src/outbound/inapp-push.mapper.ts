import type { InappPushV1, MessageView, OutboundMessageV1 } from '@omnigate/contracts';

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

/** What this gateway's instances pass each other (libs/contracts inapp-push.v1). Pure. */
export function toPush(out: OutboundMessageV1): InappPushV1 {
  return {
    appUserId: out.to.address,
    message: toPushView(out),
    ...(out.action ? { action: out.action } : {}),
  };
}
