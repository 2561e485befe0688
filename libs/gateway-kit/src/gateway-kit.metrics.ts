import { counter } from '@omnigate/kit';

/** Every gateway's traffic, by channel (memoized: several apps may share one process). */
export const gatewayMetrics = {
  inboundPublished: counter(
    'omnigate_gateway_inbound_published_total',
    'Inbound messages published on the bus',
    ['channel', 'kind', 'duplicate'],
  ),
  cardsSealed: counter(
    'omnigate_gateway_cards_sealed_total',
    'Card numbers found at the edge, sealed to the vault and published',
    ['channel'],
  ),
  redactions: counter(
    'omnigate_gateway_redactions_total',
    'Card data taken out of inbound messages: card numbers sealed (kind card), security codes, PINs and expiry dates removed',
    ['channel', 'kind'],
  ),
  sends: counter('omnigate_gateway_sends_total', 'Outbound messages by outcome', [
    'channel',
    'outcome',
  ]),
  statuses: counter('omnigate_gateway_statuses_total', 'Delivery statuses published', [
    'channel',
    'state',
  ]),
  consentEvents: counter(
    'omnigate_gateway_consent_events_total',
    "The router's consent changes applied to the gateway's own opt-out list",
    ['channel'],
  ),
};
