/** What we know of a failed Twilio API call: HTTP status and Twilio error code, when there was an answer. */
export interface TwilioFailure {
  status: number | null;
  code: number | null;
}

/**
 * What a gateway must do after a failed send:
 * - opted_out: the recipient unsubscribed at the provider → record the opt-out, report failed;
 * - rejected: the provider will never accept this message → report failed, do not retry;
 * - retry: rate limit, provider outage, network → retry later with backoff.
 */
export type TwilioFailureKind = 'opted_out' | 'rejected' | 'retry';

export interface ClassifiedTwilioFailure {
  kind: TwilioFailureKind;
  /** Our stable code: `<CHANNEL>.OPTED_OUT`, `<CHANNEL>.PROVIDER_UNAVAILABLE`, `TWILIO.<code>`. */
  code: string;
  /** A reason a person can act on; never holds the recipient's number or the text. */
  reason: string;
}

/** Our own wording (Twilio's messages can quote the recipient's number). https://www.twilio.com/docs/api/errors */
const REASONS: Record<number, string> = {
  20003: 'Twilio refused our credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
  21211: 'The recipient is not a valid phone number',
  21408: 'Sending SMS to this region is not enabled on the Twilio account',
  21602: 'The message has no text',
  21606: 'Our sender number cannot send SMS',
  21610: 'The recipient has unsubscribed (replied STOP) and must reply START first',
  21612: 'Twilio cannot route a message from our sender to this recipient',
  21614: 'The recipient number cannot receive SMS (landline or unreachable)',
  21617: 'The message is longer than 1600 characters',
  63001: 'Twilio could not authenticate our WhatsApp sender with WhatsApp',
  63003: 'The recipient is not a WhatsApp user',
  63007: 'Our WhatsApp sender is not set up on this Twilio account',
  63016:
    "Outside WhatsApp's 24-hour window: the customer must write first, or send an approved template",
  63018: 'WhatsApp rate limit for our sender exceeded',
  63024: 'The recipient cannot receive this WhatsApp message (invalid recipient)',
};

/** WhatsApp-through-Twilio codes that are worth retrying (rate limits). */
const RETRY_CODES = new Set([63018, 20429]);

/**
 * Twilio's answer → what to do: 21610 = opted out; 429, 5xx, rate-limit codes and no answer at
 * all = retry; any other 4xx = rejected (retrying the same request cannot succeed). `channel`
 * prefixes our own codes (SMS, WHATSAPP).
 */
export function classifyTwilioError(f: TwilioFailure, channel: string): ClassifiedTwilioFailure {
  if (f.status === null) {
    return {
      kind: 'retry',
      code: `${channel}.PROVIDER_UNREACHABLE`,
      reason: 'Twilio could not be reached',
    };
  }
  if (f.code === 21610) {
    return {
      kind: 'opted_out',
      code: `${channel}.OPTED_OUT`,
      reason: `${REASONS[21610]} (Twilio 21610)`,
    };
  }
  if (f.status === 429 || f.status >= 500 || (f.code !== null && RETRY_CODES.has(f.code))) {
    return {
      kind: 'retry',
      code: `${channel}.PROVIDER_UNAVAILABLE`,
      reason: `Twilio answered HTTP ${f.status}, will retry`,
    };
  }
  const code = f.code ?? f.status;
  const reason = REASONS[code] ?? `Twilio refused the message (HTTP ${f.status})`;
  return { kind: 'rejected', code: `TWILIO.${code}`, reason: `${reason} (Twilio ${code})` };
}

/** Delivery errors of status callbacks (https://www.twilio.com/docs/api/errors/30003...). */
const DELIVERY_REASONS: Record<string, string> = {
  '30001': 'Twilio queue overflow: too many messages at once',
  '30002': 'The Twilio account was suspended',
  '30003': 'The recipient handset is unreachable (switched off or out of coverage)',
  '30004': 'The recipient blocked the message',
  '30005': 'The recipient number is unknown or no longer in service',
  '30006': 'The recipient is a landline or an unreachable carrier',
  '30007': 'The carrier filtered the message as spam',
  '30008': 'Unknown delivery error at the carrier',
  '21610': REASONS[21610]!,
  '63003': REASONS[63003]!,
  '63016': REASONS[63016]!,
  '63024': REASONS[63024]!,
};

/** The error of a failed/undelivered/canceled status callback → our code and reason. */
export function deliveryErrorOf(
  errorCode: string | undefined,
  providerStatus: string,
  channel: string,
): { code: string; reason: string } {
  if (!errorCode) {
    return providerStatus === 'canceled'
      ? { code: `${channel}.CANCELED`, reason: 'The message was canceled before it was sent' }
      : {
          code: `${channel}.FAILED`,
          reason: `Twilio reported the message ${providerStatus} without an error code`,
        };
  }
  const reason = DELIVERY_REASONS[errorCode] ?? 'Twilio could not deliver the message';
  return { code: `TWILIO.${errorCode}`.slice(0, 64), reason: `${reason} (Twilio ${errorCode})` };
}
