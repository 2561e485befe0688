import type { MessageView } from '@omnigate/contracts';
import type { MessageRow } from './messages.repository';

/** Stored row → what consoles and the app see. Pure. */
export function toMessageView(m: MessageRow): MessageView {
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    direction: m.direction,
    channel: m.channel as MessageView['channel'],
    kind: m.kind,
    text: m.body,
    attachments: m.attachments,
    author: { kind: m.authorKind, id: m.authorId },
    status: m.status ?? null,
    statusError: m.statusError ?? null,
    clientMsgId: m.clientMsgId,
    ...(m.flags?.length ? { flags: m.flags } : {}),
    createdAt: m.createdAt.toISOString(),
  };
}
