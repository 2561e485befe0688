import type { CountryCode } from 'libphonenumber-js/max';
import { INBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import { formString, twilioMediaOf } from '@omnigate/twilio';
import type { InboundMessageV1, Redaction } from '@omnigate/contracts';
import { SmsFromInvalidError, SmsPayloadMalformedError } from '../sms.errors';
import { toE164, toE164OrRaw } from '../phone-number.mapper';
import { matchKeyword } from './sms-keywords';

/** A form as @fastify/formbody parses it: repeated keys become arrays. */
export type FormParams = Record<string, unknown>;

export interface InboundContext {
  region: CountryCode;
  /** Replaces card numbers by tokens (PanRedactor.redact): applied before anything is published. */
  redact(text: string): { text: string; redactions: Redaction[] };
  id: string;
  now: Date;
}

const SID = /^[A-Z]{2}[0-9a-f]{32}$/;

export { formString };

function required(form: FormParams, key: string): string {
  const v = formString(form, key)?.trim();
  if (!v) throw new SmsPayloadMalformedError(`'${key}' is missing`);
  return v;
}

function metaOf(form: FormParams, keyword: string | undefined): Record<string, string> {
  const meta: Record<string, string> = {};
  const segments = formString(form, 'NumSegments');
  const service = formString(form, 'MessagingServiceSid');
  if (segments) meta.numSegments = segments.slice(0, 8);
  if (service) meta.messagingServiceSid = service.slice(0, 64);
  if (keyword) meta.keyword = keyword;
  return meta;
}

/**
 * Twilio's inbound SMS webhook form → InboundMessage v1: numbers in E.164, card numbers already
 * replaced by tokens, STOP/START/HELP as their own kinds. Throws a 400-class error with the reason
 * when the form lacks MessageSid, From or To, or From is not a phone number.
 */
export function mapTwilioInbound(form: FormParams, ctx: InboundContext): InboundMessageV1 {
  const messageSid = required(form, 'MessageSid');
  if (!SID.test(messageSid)) {
    throw new SmsPayloadMalformedError("'MessageSid' is not a Twilio message SID");
  }
  const fromRaw = required(form, 'From');
  const toRaw = required(form, 'To');
  const from = toE164(fromRaw, ctx.region);
  if (!from) throw new SmsFromInvalidError();
  const body = formString(form, 'Body') ?? '';
  const keyword = matchKeyword(body);
  const redacted = ctx.redact(body);
  return {
    type: INBOUND_MESSAGE_V1,
    version: 1,
    id: ctx.id,
    occurredAt: ctx.now.toISOString(),
    channel: 'sms',
    providerMessageId: messageSid,
    from: { address: from },
    to: { address: toE164OrRaw(toRaw, ctx.region).slice(0, 320) },
    kind: keyword?.kind ?? 'text',
    text: redacted.text,
    attachments: twilioMediaOf(form),
    redactions: redacted.redactions,
    auth: { method: 'none', level: 'none' },
    meta: metaOf(form, keyword?.keyword),
  };
}
