import { counter, gauge } from '@omnigate/kit';

/** The WhatsApp gateway's metrics (memoized: several apps may share one process). */
export const whatsappMetrics = {
  webhooksReceived: counter(
    'omnigate_whatsapp_webhooks_received_total',
    'WhatsApp webhooks received, before the signature check',
    ['provider'],
  ),
  signatureFailures: counter(
    'omnigate_whatsapp_signature_failures_total',
    'WhatsApp webhooks refused for their signature',
    ['provider', 'reason'],
  ),
  inboundPublished: counter(
    'omnigate_whatsapp_inbound_published_total',
    'Inbound WhatsApp messages published on the bus',
    ['provider', 'duplicate'],
  ),
  statuses: counter(
    'omnigate_whatsapp_statuses_total',
    'WhatsApp delivery statuses by mapped state',
    ['provider', 'state'],
  ),
  sends: counter('omnigate_whatsapp_sends_total', 'Outbound WhatsApp messages by outcome', [
    'provider',
    'outcome',
  ]),
  /** whatsapp-web.js: 1 for the current state of the linked device, 0 for the others. */
  webjsState: gauge(
    'omnigate_whatsapp_webjs_connection_state',
    'whatsapp-web.js linked-device connection state (1 = current)',
    ['state'],
  ),
  webjsReconnects: counter(
    'omnigate_whatsapp_webjs_reconnects_total',
    'whatsapp-web.js reconnect attempts after a disconnect or a failed start',
  ),
};
