import { counter } from '@omnigate/kit';

/** The SMS gateway's metrics (memoized: several apps may share one process). */
export const smsMetrics = {
  webhooksReceived: counter(
    'omnigate_sms_webhooks_received_total',
    'Twilio webhooks received, before the signature check',
    ['endpoint'],
  ),
  inboundPublished: counter(
    'omnigate_sms_inbound_published_total',
    'Inbound SMS published on the bus',
    ['kind', 'duplicate'],
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
  sends: counter('omnigate_sms_sends_total', 'Outbound SMS by outcome', ['outcome']),
};
