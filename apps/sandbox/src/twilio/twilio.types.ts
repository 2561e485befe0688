/** Twilio's message statuses (the `MessageStatus` union of twilio-node's message.d.ts). */
export type TwilioMessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'delivered'
  | 'undelivered'
  | 'receiving'
  | 'received'
  | 'accepted'
  | 'scheduled'
  | 'read'
  | 'partially_delivered'
  | 'canceled';

/** One message as the fake Twilio stores it (outbound sends and injected inbound messages). */
export interface TwilioMessageRecord {
  sid: string;
  accountSid: string;
  direction: 'outbound-api' | 'inbound';
  /** Null for a Messaging Service send until a sender is picked (as on Twilio). */
  from: string | null;
  to: string;
  body: string;
  status: TwilioMessageStatus;
  numSegments: number;
  numMedia: number;
  messagingServiceSid: string | null;
  statusCallback: string | null;
  errorCode: number | null;
  errorMessage: string | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

/** A form body as @fastify/formbody parses it: repeated keys become arrays. */
export type FormBody = Record<string, unknown>;

/** Form params Twilio signs and POSTs (all strings). */
export type WebhookParams = Record<string, string>;

/** The first string value of a form key, trimmed; undefined when absent or empty. */
export function formValue(form: FormBody, key: string): string | undefined {
  const raw = form[key];
  const v = Array.isArray(raw) ? (raw[0] as unknown) : raw;
  if (typeof v !== 'string') return undefined;
  return v.length > 0 ? v : undefined;
}
