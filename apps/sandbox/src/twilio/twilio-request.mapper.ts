import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { TwilioErrors } from './twilio-api.errors';
import { formValue } from './twilio.types';
import type { FormBody } from './twilio.types';

/** Twilio caps a message body at 1600 characters. */
export const MAX_BODY = 1600;

export interface CreateMessageRequest {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  mediaUrls: string[];
}

/** A phone address Twilio would accept as `To`: E.164 (optionally channel-prefixed, whatsapp:+...). */
export function isValidPhoneAddress(address: string): boolean {
  const number = address.replace(/^[a-z]+:/, '');
  if (!number.startsWith('+')) return false;
  return parsePhoneNumberFromString(number)?.isValid() ?? false;
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function formValues(form: FormBody, key: string): string[] {
  const raw = form[key];
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/**
 * Reads a Create Message form as Twilio validates it, failing with Twilio's own error for the first
 * problem: 21604 no To, 21603 no From/MessagingServiceSid, 21602 no Body (and no media),
 * 21617 too long, 21609 bad StatusCallback, 21211 invalid To.
 */
export function parseCreateMessage(form: FormBody): CreateMessageRequest {
  const to = formValue(form, 'To');
  if (!to) throw TwilioErrors.toRequired();
  const from = formValue(form, 'From') ?? null;
  const messagingServiceSid = formValue(form, 'MessagingServiceSid') ?? null;
  if (!from && !messagingServiceSid) throw TwilioErrors.fromRequired();
  const contentSid = formValue(form, 'ContentSid');
  // A Content template (WhatsApp outside the 24-hour window) needs no Body. The stand-in has no
  // Content API to render it, so it records the SID and variables as the body.
  const body =
    formValue(form, 'Body') ??
    (contentSid ? `content ${contentSid} ${formValue(form, 'ContentVariables') ?? '{}'}` : '');
  const mediaUrls = formValues(form, 'MediaUrl');
  if (body.length === 0 && mediaUrls.length === 0) throw TwilioErrors.bodyRequired();
  if (body.length > MAX_BODY) throw TwilioErrors.bodyTooLong();
  const statusCallback = formValue(form, 'StatusCallback') ?? null;
  if (statusCallback !== null && !isHttpUrl(statusCallback)) {
    throw TwilioErrors.invalidStatusCallback();
  }
  if (!isValidPhoneAddress(to)) throw TwilioErrors.invalidTo(to);
  return { to, from, messagingServiceSid, body, statusCallback, mediaUrls };
}
