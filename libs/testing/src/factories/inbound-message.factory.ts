import { randomUUID } from 'node:crypto';
import { INBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';

let counter = 0;

/** An inbound message as a gateway would publish it: an SMS from `from` unless overridden. */
export function inboundMessage(
  over: Partial<InboundMessageV1> & { from: InboundMessageV1['from'] },
): InboundMessageV1 {
  counter++;
  return {
    type: INBOUND_MESSAGE_V1,
    version: 1,
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    channel: 'sms',
    providerMessageId: `SM${randomUUID().replace(/-/g, '')}`,
    to: { address: '+390212345678' },
    kind: 'text',
    text: `messaggio di prova ${counter}`,
    attachments: [],
    redactions: [],
    auth: { method: 'none', level: 'none' },
    ...over,
  };
}
