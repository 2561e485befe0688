import { formString, twilioMediaOf } from '@omnigate/twilio';
import type { FormParams } from '@omnigate/twilio';
import { WhatsAppPayloadMalformedError } from '../../whatsapp.errors';
import type { WhatsAppInbound } from '../whatsapp-provider.port';

const SID = /^(SM|MM)[0-9a-f]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** `whatsapp:+393471234567` → `+393471234567`; null when it is not a WhatsApp phone address. */
export function fromTwilioWhatsApp(address: string): string | null {
  const m = /^whatsapp:(\+\d+)$/.exec(address.trim());
  return m && E164.test(m[1]!) ? m[1]! : null;
}

export function toTwilioWhatsApp(e164: string): string {
  return `whatsapp:${e164}`;
}

function required(form: FormParams, key: string): string {
  const v = formString(form, key)?.trim();
  if (!v) throw new WhatsAppPayloadMalformedError(`'${key}' is missing`);
  return v;
}

/**
 * Twilio's inbound WhatsApp webhook form → our provider-neutral inbound: `whatsapp:` stripped
 * (E.164 is the address), ProfileName as the name, media by Twilio URL. Throws a 400-class error
 * when MessageSid, From or To are missing or From is not a WhatsApp phone address.
 */
export function mapTwilioWhatsAppInbound(form: FormParams): WhatsAppInbound {
  const sid = required(form, 'MessageSid');
  if (!SID.test(sid)) throw new WhatsAppPayloadMalformedError("'MessageSid' is not a message SID");
  const from = fromTwilioWhatsApp(required(form, 'From'));
  if (!from) throw new WhatsAppPayloadMalformedError("'From' is not a whatsapp:+E164 address");
  const toRaw = required(form, 'To');
  const name = formString(form, 'ProfileName')?.trim();
  return {
    providerMessageId: sid,
    from,
    to: fromTwilioWhatsApp(toRaw) ?? toRaw,
    ...(name ? { displayName: name } : {}),
    text: formString(form, 'Body') ?? '',
    attachments: twilioMediaOf(form),
  };
}
