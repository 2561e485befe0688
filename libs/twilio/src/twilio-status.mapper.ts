import type { DeliveryState } from '@omnigate/contracts';
import { AppError } from '@omnigate/kit';
import { deliveryErrorOf } from './twilio-errors.mapper';

/** A form as @fastify/formbody parses it: repeated keys become arrays. */
export type FormParams = Record<string, unknown>;

/** The first string value of a form key; undefined when absent. */
export function formString(form: FormParams, key: string): string | undefined {
  const raw = form[key];
  const v: unknown = Array.isArray(raw) ? raw[0] : raw;
  return typeof v === 'string' ? v : undefined;
}

/** A signed Twilio callback that lacks what we need: `<CHANNEL>.PAYLOAD_MALFORMED`, 400. */
export class TwilioPayloadMalformedError extends AppError {
  constructor(channel: string, reason: string) {
    super(`${channel}.PAYLOAD_MALFORMED`, reason);
  }
}

export interface TwilioStatusUpdate {
  providerMessageId: string;
  providerStatus: string;
  state: DeliveryState;
  /** Set for failed: our stable code (TWILIO.30003...) and a reason a person can act on. */
  error?: { code: string; reason: string };
  /** The provider's error code, raw (e.g. '21610' = unsubscribed recipient). */
  providerErrorCode?: string;
  /** The recipient, as the provider reports it (whatsapp:+... for WhatsApp). */
  to?: string;
}

/**
 * Twilio's MessageStatus → our delivery state. Statuses of inbound messages (receiving, received)
 * and of group sends (partially_delivered) do not concern an outbound message: ignored.
 */
const STATE_OF: Record<string, DeliveryState | null> = {
  queued: 'queued',
  sending: 'queued',
  accepted: 'queued',
  scheduled: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  failed: 'failed',
  undelivered: 'failed',
  canceled: 'failed',
  receiving: null,
  received: null,
  partially_delivered: null,
};

/**
 * A Twilio status callback form → our status update; null when the status is one we do not track
 * (or a new one Twilio added: their params change without notice, and refusing would only make
 * Twilio log errors). `channel` prefixes our own codes (SMS, WHATSAPP).
 */
export function mapTwilioStatus(form: FormParams, channel: string): TwilioStatusUpdate | null {
  const providerMessageId = formString(form, 'MessageSid')?.trim();
  if (!providerMessageId) throw new TwilioPayloadMalformedError(channel, "'MessageSid' is missing");
  const providerStatus = (formString(form, 'MessageStatus') ?? formString(form, 'SmsStatus'))
    ?.trim()
    .toLowerCase();
  if (!providerStatus) {
    throw new TwilioPayloadMalformedError(channel, "'MessageStatus' is missing");
  }
  const state = STATE_OF[providerStatus];
  if (!state) return null;
  const errorCode = formString(form, 'ErrorCode')?.trim() || undefined;
  const to = formString(form, 'To')?.trim() || undefined;
  return {
    providerMessageId,
    providerStatus,
    state,
    ...(state === 'failed' ? { error: deliveryErrorOf(errorCode, providerStatus, channel) } : {}),
    ...(errorCode ? { providerErrorCode: errorCode } : {}),
    ...(to ? { to } : {}),
  };
}
