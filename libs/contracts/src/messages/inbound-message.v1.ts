import { z } from 'zod';
import { AttachmentRefSchema } from '../attachment-ref';
import { ChannelSchema } from '../channel';
import { envelopeFields, redactionSchema } from '../envelope';
import { AssuranceLevelSchema } from '../assurance';

export const INBOUND_MESSAGE_V1 = 'omnigate.msg.inbound.v1';

/**
 * How far `sentAt` may lie from when the gateway received the message: older is a replayed or
 * forged webhook or a wrong clock (Telegram keeps undelivered updates 24 hours, WhatsApp's
 * offline queue and mail retries last days at most), and a week is the reopening window too;
 * ahead, clocks drift, but not by minutes.
 */
export const SENT_AT_MAX_AGE_MS = 7 * 86_400_000;
export const SENT_AT_MAX_AHEAD_MS = 2 * 60_000;

/**
 * What a gateway publishes for every customer message, on `msg.in.v1.<channel>`.
 * `text` is already PAN-redacted: card numbers never reach the bus.
 * `kind` separates consent keywords (STOP/START/HELP) from conversation text.
 */
export const InboundMessageV1Schema = z.object({
  type: z.literal(INBOUND_MESSAGE_V1),
  version: z.literal(1),
  ...envelopeFields,
  channel: ChannelSchema,
  /** The provider's id of this message (Twilio MessageSid, Telegram update_id...): the dedupe key. */
  providerMessageId: z.string().min(1).max(256),
  /** The customer's address on the channel: E.164 phone, app user id, email address, chat id. */
  from: z.object({
    address: z.string().min(1).max(320),
    displayName: z.string().max(200).optional(),
  }),
  /** Our address the customer wrote to (our number, bot, mailbox). */
  to: z.object({ address: z.string().min(1).max(320) }),
  kind: z.enum(['text', 'optout', 'optin', 'help']),
  text: z.string().max(65_536),
  attachments: z.array(AttachmentRefSchema).max(20),
  redactions: z.array(redactionSchema).max(100),
  /**
   * What the channel proved about the sender: the app's JWT (in-app), or a From domain that passed
   * DMARC (email, `subject` = the From address), or a phone the provider verified as the sender's
   * own (`provider_verified_phone`, `subject` = that phone in E.164: a Telegram user who shared
   * their own contact).
   */
  auth: z.object({
    method: z.enum(['none', 'app_jwt', 'email_dmarc', 'provider_verified_phone']),
    level: AssuranceLevelSchema,
    subject: z.string().max(256).optional(),
    authenticatedAt: z.iso.datetime({ offset: true }).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  }),
  /**
   * When the customer sent it, as the provider recorded it (WhatsApp Cloud `messages[].timestamp`,
   * Telegram `message.date`); absent when the channel carries none (Twilio SMS, the app) or only a
   * sender's claim (email `Date:`). The gateway keeps it only within [received − 7 days,
   * received + 2 min]. Added in v1 as optional: older producers leave it out, older readers drop it.
   */
  sentAt: z.iso.datetime({ offset: true }).optional(),
  /** Channel-specific extras that are not personal data (e.g. the app's clientMsgId). */
  meta: z.record(z.string(), z.string().max(1024)).optional(),
});
export type InboundMessageV1 = z.infer<typeof InboundMessageV1Schema>;

/** JetStream dedupe key for inbound: provider retries of the same message collapse to one. */
export function inboundMsgId(channel: string, providerMessageId: string): string {
  return `${channel}:${providerMessageId}`;
}
