import type { AttachmentRef, DeliveryState, OutboundMessageV1 } from '@omnigate/contracts';

export type WhatsAppProviderKind = 'cloud' | 'twilio' | 'webjs';

export interface WhatsAppSendRequest {
  /** Our message id (echoed by the Cloud API in its statuses, in Twilio's callback URL). */
  messageId: string;
  /** The recipient, E.164. */
  to: string;
  text: string;
  attachments: AttachmentRef[];
  /** Sent instead of `text` when set (outside the 24-hour window). */
  template?: NonNullable<OutboundMessageV1['template']>;
}

export interface WhatsAppSendResult {
  providerMessageId: string;
}

/** A customer's message as one provider saw it, before redaction (adapters → inbound service). */
export interface WhatsAppInbound {
  /** wamid (Cloud), MessageSid (Twilio), msg.id._serialized (web.js): the dedupe key. */
  providerMessageId: string;
  /** E.164 when the provider gives a phone number; raw otherwise (a web.js @lid). */
  from: string;
  to: string;
  displayName?: string;
  text: string;
  attachments: AttachmentRef[];
  /** When the customer sent it, as the provider recorded it (Cloud `timestamp`); none on Twilio. */
  sentAt?: Date;
  meta?: Record<string, string>;
}

/** A delivery state of one of our messages, as a provider reported it. */
export interface WhatsAppStatusUpdate {
  providerMessageId: string;
  state: DeliveryState;
  /** Our message id when the provider echoes it (Cloud biz_opaque_callback_data, Twilio ?mid=). */
  messageId?: string;
  /** Set for failed: our stable code and a reason a person can act on. */
  error?: { code: string; reason: string };
}

/**
 * The one boundary to a WhatsApp provider (the abstract class is also the Nest DI token). Inbound
 * messages and statuses come in through each adapter's own edge (webhook controller or event
 * listener) and go to the shared inbound/status services. `send` throws WhatsAppSendError
 * classified as rejected (give up) or retry.
 */
export abstract class WhatsAppProvider {
  abstract readonly kind: WhatsAppProviderKind;
  /** Does the provider refuse free text outside the 24-hour customer-service window? */
  abstract readonly hasServiceWindow: boolean;
  abstract send(req: WhatsAppSendRequest): Promise<WhatsAppSendResult>;
  /** Frees sockets, browsers... at shutdown. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
