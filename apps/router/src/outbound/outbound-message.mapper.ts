import { randomUUID } from 'node:crypto';
import { OUTBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import type { ConsentPurpose, OutboundMessageV1 } from '@omnigate/contracts';
import type { MessageRow } from '@omnigate/store';
import { asChannel } from '../events/conversation-event.mapper';

export interface HandOut {
  author: OutboundMessageV1['author'];
  /** Why it is sent (consent was checked for it); service when absent. */
  purpose?: ConsentPurpose;
  /** What goes on the wire when it differs from the stored body (a one-time code is never stored). */
  text?: string;
  action?: OutboundMessageV1['action'];
}

/** A stored outbound message → what its channel's gateway delivers. Pure but for the envelope id. */
export function toOutboundMessage(message: MessageRow, h: HandOut): OutboundMessageV1 {
  return {
    type: OUTBOUND_MESSAGE_V1,
    version: 1,
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    channel: asChannel(message.channel),
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    to: { address: message.address },
    text: h.text ?? message.body,
    attachments: [],
    author: h.author,
    purpose: h.purpose ?? 'service',
    ...(h.action ? { action: h.action } : {}),
  };
}
