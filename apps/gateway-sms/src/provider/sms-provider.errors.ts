import { ProviderSendError } from '@omnigate/gateway-kit';

/**
 * A failed Twilio send as the SMS client reads it (the kit's send loop acts on `kind`): opted_out
 * (21610: the recipient unsubscribed), rejected (any other 4xx: never retried) or retry (429, 5xx,
 * network). Codes: TWILIO.21211, SMS.OPTED_OUT, SMS.PROVIDER_UNAVAILABLE...
 */
export class SmsSendError extends ProviderSendError {}
