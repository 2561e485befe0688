import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { SegmentedMessage } from 'sms-segments-calculator';
import { API_VERSION } from './twilio-resource.mapper';
import { twilioKeywordOf } from './twilio-keywords';
import type { TwilioMessageRecord, WebhookParams } from './twilio.types';

export interface InboundSpec {
  accountSid: string;
  messageSid: string;
  from: string;
  to: string;
  body: string;
  messagingServiceSid?: string;
}

/** Segments as Twilio counts them (GSM-7 160/153, UCS-2 70/67). */
export function segmentsOf(body: string): number {
  return body.length === 0 ? 1 : new SegmentedMessage(body, 'auto').segmentsCount;
}

function countryOf(number: string): string {
  return parsePhoneNumberFromString(number)?.country ?? '';
}

/**
 * The form Twilio POSTs to a number's webhook when an SMS comes in
 * (https://www.twilio.com/docs/messaging/guides/webhook-request). Geographic fields Twilio
 * cannot resolve are sent empty, as Twilio does. OptOutType only with a Messaging Service
 * (Advanced Opt-Out).
 */
export function inboundWebhookParams(spec: InboundSpec): WebhookParams {
  const keyword = twilioKeywordOf(spec.body);
  return {
    ToCountry: countryOf(spec.to),
    ToState: '',
    SmsMessageSid: spec.messageSid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: spec.messageSid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: spec.body,
    FromCountry: countryOf(spec.from),
    To: spec.to,
    ...(spec.messagingServiceSid ? { MessagingServiceSid: spec.messagingServiceSid } : {}),
    ...(spec.messagingServiceSid && keyword ? { OptOutType: keyword.type } : {}),
    ToZip: '',
    NumSegments: String(segmentsOf(spec.body)),
    MessageSid: spec.messageSid,
    AccountSid: spec.accountSid,
    From: spec.from,
    ApiVersion: API_VERSION,
    // WhatsApp senders also carry their WhatsApp id (the number's digits).
    ...(spec.from.startsWith('whatsapp:') ? { WaId: spec.from.replace(/\D/g, '') } : {}),
  };
}

/** "YYMMDDhhmm", the carrier's delivery-receipt time Twilio passes on for delivered messages. */
function rawDlrDoneDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}

/**
 * A status callback's form (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status):
 * ErrorCode only when the message failed.
 */
export function statusCallbackParams(
  r: TwilioMessageRecord,
  senderFallback: string,
): WebhookParams {
  const final = r.status === 'delivered' || r.status === 'undelivered';
  return {
    AccountSid: r.accountSid,
    ApiVersion: API_VERSION,
    From: r.from ?? senderFallback,
    MessageSid: r.sid,
    MessageStatus: r.status,
    ...(r.messagingServiceSid ? { MessagingServiceSid: r.messagingServiceSid } : {}),
    ...(final ? { RawDlrDoneDate: rawDlrDoneDate(r.dateUpdated) } : {}),
    SmsSid: r.sid,
    SmsStatus: r.status,
    To: r.to,
    ...(r.errorCode !== null ? { ErrorCode: String(r.errorCode) } : {}),
  };
}
