import { INBOUND_MESSAGE_V1, inboundKindOf } from '@omnigate/contracts';
import type { InboundMessageV1, Redaction } from '@omnigate/contracts';
import { inboundAuthOf } from '../auth/app-principal.mapper';
import type { AppPrincipal } from '../auth/app-principal.mapper';

export interface InappInboundInput {
  id: string;
  now: Date;
  principal: AppPrincipal;
  clientMsgId: string;
  /** Already PAN-redacted. */
  text: string;
  redactions: Redaction[];
  ourAddress: string;
}

/** The dedupe key of an app message: the same clientMsgId of the same user is the same message. */
export function inappProviderMessageId(sub: string, clientMsgId: string): string {
  return `${sub}:${clientMsgId}`;
}

/** An app user's message → InboundMessage v1. Pure. */
export function toInboundMessage(input: InappInboundInput): InboundMessageV1 {
  return {
    type: INBOUND_MESSAGE_V1,
    version: 1,
    id: input.id,
    occurredAt: input.now.toISOString(),
    channel: 'inapp',
    providerMessageId: inappProviderMessageId(input.principal.sub, input.clientMsgId),
    from: { address: input.principal.sub },
    to: { address: input.ourAddress },
    // STOP / BASTA / START... typed in the app chat are consent instructions, as on every channel.
    kind: inboundKindOf(input.text),
    text: input.text,
    attachments: [],
    redactions: input.redactions,
    auth: inboundAuthOf(input.principal),
    meta: { clientMsgId: input.clientMsgId },
  };
}
