import { INBOUND_MESSAGE_V1, inboundKindOf } from '@omnigate/contracts';
import type { InboundMessageV1, Redaction } from '@omnigate/contracts';
import type { WhatsAppInbound } from '../provider/whatsapp-provider.port';

export interface InboundContext {
  /** Replaces card numbers by tokens (PanRedactor.redact): applied before anything is published. */
  redact(text: string): { text: string; redactions: Redaction[] };
  id: string;
  now: Date;
  provider: string;
}

/**
 * A provider's WhatsApp message → InboundMessage v1 on channel whatsapp: the phone in E.164 is the
 * address (the router links it to the bank's verified phone exactly like SMS), card numbers in
 * text and captions already replaced by tokens, media by reference only.
 */
export function toInboundMessage(m: WhatsAppInbound, ctx: InboundContext): InboundMessageV1 {
  const redacted = ctx.redact(m.text);
  return {
    type: INBOUND_MESSAGE_V1,
    version: 1,
    id: ctx.id,
    occurredAt: ctx.now.toISOString(),
    channel: 'whatsapp',
    providerMessageId: m.providerMessageId.slice(0, 256),
    from: {
      address: m.from.slice(0, 320),
      ...(m.displayName ? { displayName: m.displayName.slice(0, 200) } : {}),
    },
    to: { address: m.to.slice(0, 320) },
    // STOP/ANNULLA/START...: WhatsApp itself blocks nothing, our consent record does.
    kind: m.attachments.length > 0 ? 'text' : inboundKindOf(m.text),
    text: redacted.text,
    attachments: m.attachments.slice(0, 20),
    redactions: redacted.redactions,
    auth: { method: 'none', level: 'none' },
    ...(m.sentAt ? { sentAt: m.sentAt.toISOString() } : {}),
    meta: { provider: ctx.provider, ...m.meta },
  };
}
