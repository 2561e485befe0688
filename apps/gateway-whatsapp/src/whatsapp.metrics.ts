import { counter, gauge } from '@omnigate/kit';

/**
 * The WhatsApp gateway's own metrics (memoized: several apps may share one process); inbound, sends
 * and statuses are the kit's `omnigate_gateway_*{channel="whatsapp"}`.
 */
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
  unknownStatuses: counter(
    'omnigate_whatsapp_unknown_statuses_total',
    'Provider statuses of messages this gateway does not know (dropped)',
    ['provider'],
  ),
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
