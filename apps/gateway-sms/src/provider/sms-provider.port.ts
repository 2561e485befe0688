import type { DeliveryState } from '@omnigate/contracts';

/** A form as posted by the provider (repeated keys become arrays). */
export type WebhookParams = Record<string, unknown>;

export interface SmsSendRequest {
  /** The recipient, E.164. */
  to: string;
  body: string;
  /** Public URLs of media to attach (MMS). */
  mediaUrls: string[];
  /** Where the provider posts delivery statuses for this message. */
  statusCallbackUrl: string;
}

export interface SmsSendResult {
  providerMessageId: string;
  /** The provider's own status word at acceptance (Twilio: queued or accepted). */
  providerStatus: string;
}

export interface SmsStatusUpdate {
  providerMessageId: string;
  providerStatus: string;
  state: DeliveryState;
  /** Set for failed: our stable code (TWILIO.30003...) and a reason a person can act on. */
  error?: { code: string; reason: string };
  /** The provider's error code, raw (e.g. '21610' = unsubscribed recipient). */
  providerErrorCode?: string;
  /** The recipient, as the provider reports it. */
  to?: string;
}

/**
 * The narrow boundary to the SMS provider (one implementation per vendor; Twilio today). The
 * abstract class is also the Nest DI token. `send` throws SmsSendError classified as opted out,
 * rejected (give up) or retry.
 */
export abstract class SmsProvider {
  abstract send(req: SmsSendRequest): Promise<SmsSendResult>;

  /** Is this webhook really from the provider? `url` is the full public URL it called. */
  abstract verifySignature(url: string, params: WebhookParams, signature: string): boolean;

  /** A status callback → our delivery state; null for provider states we do not track. */
  abstract parseStatus(params: WebhookParams): SmsStatusUpdate | null;

  /** The webhook's answer document, optionally replying to the sender with `text`. */
  abstract replyDocument(text?: string): { contentType: string; body: string };
}
