import { histogram } from '@omnigate/kit';

/** Up to 10 s, with 200 ms (the latency target) as a bound. */
const HOP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10];

/** The router's hops of a customer's message (the gateway's are in libs/gateway-kit). */
export const inboundHops = {
  /** Consumed to stored: identity, intake, the database write. */
  storedSeconds: histogram(
    'omnigate_router_inbound_stored_seconds',
    'From the router taking an inbound message to the message stored',
    ['channel'],
    HOP_BUCKETS,
  ),
  /**
   * End to end: the envelope's occurredAt (the gateway's receipt when the provider gives no time
   * of its own) to the router done (stored, announced, routed, answered).
   */
  endToEndSeconds: histogram(
    'omnigate_router_end_to_end_seconds',
    "From the inbound envelope's occurredAt to the router done with the message",
    ['channel'],
    HOP_BUCKETS,
  ),
};
