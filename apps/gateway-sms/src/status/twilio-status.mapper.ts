import { mapTwilioStatus as mapStatus } from '@omnigate/twilio';
import type { FormParams } from '../inbound/sms-inbound.mapper';
import type { SmsStatusUpdate } from '../provider/sms-provider.port';

/**
 * A Twilio status callback form → our status update (the shared @omnigate/twilio mapping, with
 * SMS codes); null when the status is one we do not track.
 */
export function mapTwilioStatus(form: FormParams): SmsStatusUpdate | null {
  return mapStatus(form, 'SMS');
}
