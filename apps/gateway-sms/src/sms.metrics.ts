import { counter } from '@omnigate/kit';

/**
 * The SMS gateway's own metrics (memoized: several apps may share one process); inbound, sends and
 * statuses are the kit's `omnigate_gateway_*{channel="sms"}`.
 */
export const smsMetrics = {
  webhooksReceived: counter(
    'omnigate_sms_webhooks_received_total',
    'Twilio webhooks received, before the signature check',
    ['endpoint'],
  ),
  signatureFailures: counter(
    'omnigate_sms_signature_failures_total',
    'Twilio webhooks refused for their signature',
    ['endpoint', 'reason'],
  ),
  statusCallbacks: counter(
    'omnigate_sms_status_callbacks_total',
    'Twilio status callbacks by mapped state',
    ['state'],
  ),
};
