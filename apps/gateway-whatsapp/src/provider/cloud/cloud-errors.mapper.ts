import { WhatsAppSendError } from '../../whatsapp.errors';

/** A Graph API error answer: `{error: {message, type, code, error_subcode, error_data, fbtrace_id}}`. */
export interface GraphFailure {
  /** HTTP status, null when there was no answer at all (network, timeout). */
  status: number | null;
  code: number | null;
}

/**
 * Our own wording of the Cloud API errors we meet (Meta's messages can quote the recipient).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
 */
const REASONS: Record<number, string> = {
  190: 'Meta refused our access token: check WHATSAPP_ACCESS_TOKEN (expired or revoked)',
  10: 'Our Meta app lacks the whatsapp_business_messaging permission',
  100: 'Meta refused a parameter of the message',
  131008: 'A required parameter is missing',
  131009: 'A parameter value is not valid',
  131021: 'The recipient is our own number',
  131026:
    'The recipient cannot receive WhatsApp messages (not on WhatsApp, old app, or has not accepted the terms)',
  131030: 'The recipient is not in the test number’s allowed list',
  131031: 'Our WhatsApp Business account is locked',
  131047:
    'Outside WhatsApp’s 24-hour window: the customer must write first, or send an approved template',
  131051: 'WhatsApp does not support this message type',
  131052: 'WhatsApp could not download the customer’s media',
  131053: 'WhatsApp could not upload the media we sent',
  132000: 'The template parameters do not match the approved template',
  132001: 'The template does not exist in this language or is not approved',
  133010: 'Our phone number is not registered on the Cloud API',
  130472: 'WhatsApp did not deliver the message: the customer is part of an experiment',
  131049: 'WhatsApp chose not to deliver this marketing message to keep engagement healthy',
};

/** Codes worth trying again later: rate limits, throughput, Meta-side outages. */
const RETRY_CODES = new Set([1, 2, 4, 17, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

/**
 * A failed Graph call → what to do: no answer, 429, 5xx and the rate-limit/outage codes → retry;
 * anything else → rejected (sending the same request again cannot succeed).
 */
export function classifyGraphFailure(f: GraphFailure, cause?: unknown): WhatsAppSendError {
  if (f.status === null) {
    return new WhatsAppSendError(
      'retry',
      'WHATSAPP.PROVIDER_UNREACHABLE',
      'The WhatsApp Cloud API could not be reached',
      cause,
    );
  }
  if (f.status === 429 || f.status >= 500 || (f.code !== null && RETRY_CODES.has(f.code))) {
    return new WhatsAppSendError(
      'retry',
      'WHATSAPP.PROVIDER_UNAVAILABLE',
      `The WhatsApp Cloud API answered HTTP ${f.status}${f.code !== null ? ` (Meta ${f.code})` : ''}, will retry`,
      cause,
    );
  }
  if (f.code === 131047) {
    return new WhatsAppSendError(
      'rejected',
      'WHATSAPP.OUTSIDE_24H_WINDOW',
      `${REASONS[131047]} (Meta 131047)`,
      cause,
    );
  }
  const code = f.code ?? f.status;
  const reason = REASONS[code] ?? `The WhatsApp Cloud API refused the message (HTTP ${f.status})`;
  return new WhatsAppSendError('rejected', `WHATSAPP.${code}`, `${reason} (Meta ${code})`, cause);
}

/** The error of a `failed` status webhook (`errors: [{code, title}]`) → our code and reason. */
export function statusErrorOf(errors: Array<{ code?: number; title?: string }> | undefined): {
  code: string;
  reason: string;
} {
  const first = errors?.[0];
  if (first?.code === undefined) {
    return {
      code: 'WHATSAPP.FAILED',
      reason: 'WhatsApp reported the message failed without a code',
    };
  }
  if (first.code === 131047) {
    return { code: 'WHATSAPP.OUTSIDE_24H_WINDOW', reason: `${REASONS[131047]} (Meta 131047)` };
  }
  // Titles are Meta's generic wording ("Message undeliverable"), never personal data.
  const reason = REASONS[first.code] ?? first.title ?? 'WhatsApp could not deliver the message';
  return { code: `WHATSAPP.${first.code}`.slice(0, 64), reason: `${reason} (Meta ${first.code})` };
}
