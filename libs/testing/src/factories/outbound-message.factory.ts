import { randomUUID } from 'node:crypto';
import { OUTBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import type { Channel, OutboundMessageV1 } from '@omnigate/contracts';

/** An agent's reply as the router publishes it on `msg.out.v1.<channel>`. */
export function outboundMessage(
  channel: Channel,
  to: string,
  text: string,
  over: Partial<OutboundMessageV1> = {},
): OutboundMessageV1 {
  return {
    type: OUTBOUND_MESSAGE_V1,
    version: 1,
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    channel,
    conversationId: randomUUID(),
    messageId: randomUUID(),
    seq: 1,
    to: { address: to },
    text,
    attachments: [],
    author: { kind: 'agent', id: 'alice' },
    purpose: 'service',
    ...over,
  };
}
