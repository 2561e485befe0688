import { counter, histogram } from '@omnigate/kit';

/** Up to 10 s, with 200 ms (the latency target) as a bound. */
const HOP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10];

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
  /** Webhook to published: mapping, sealing cards, the JetStream ack (the provider waits for it). */
  inboundPublishSeconds: histogram(
    'omnigate_gateway_inbound_publish_seconds',
    'From a webhook handed to the publisher to the JetStream ack of the message',
    ['channel'],
    HOP_BUCKETS,
  ),
  /** The provider's API call of one outbound message. */
  sendSeconds: histogram(
    'omnigate_gateway_send_seconds',
    "The provider's send call of one outbound message, by result",
    ['channel', 'result'],
    HOP_BUCKETS,
  ),
  /** A provider's send time left out of the message: outside [received − 7 d, received + 2 min]. */
  sentAtIgnored: counter(
    'omnigate_gateway_sent_at_ignored_total',
    'Inbound messages whose provider send time was ignored (timed at receipt instead), by reason',
    ['channel', 'reason'],
  ),
  consentEvents: counter(
    'omnigate_gateway_consent_events_total',
    "The router's consent changes applied to the gateway's own opt-out list",
    ['channel'],
  ),
};
