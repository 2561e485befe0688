import { classifyTwilioError, deliveryErrorOf as twilioDeliveryErrorOf } from '@omnigate/twilio';
import type { TwilioFailure } from '@omnigate/twilio';
import { SmsSendError } from './sms-provider.errors';

export type { TwilioFailure } from '@omnigate/twilio';

/**
 * Twilio's answer → what to do (the shared @omnigate/twilio classification, with SMS codes):
 * 21610 = opted out; 429, 5xx and no answer at all = retry; any other 4xx = rejected.
 */
export function classifyTwilioFailure(f: TwilioFailure, cause?: unknown): SmsSendError {
  const c = classifyTwilioError(f, 'SMS');
  return new SmsSendError(c.kind, c.code, c.reason, cause);
}

/** A status callback's error code → our SMS code and reason. */
export function deliveryErrorOf(
  errorCode: string | undefined,
  providerStatus: string,
): { code: string; reason: string } {
  return twilioDeliveryErrorOf(errorCode, providerStatus, 'SMS');
}
