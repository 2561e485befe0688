import type { ConsumerTuning } from '@omnigate/bus';
import { INBOUND_DURABLE } from './inbound/inbound-message.handler';
import { STATUS_DURABLE } from './status/delivery-status.handler';
import { CORE_EVENTS_DURABLE } from './fraud/core-events.handler';
import { JOURNEYS_DURABLE } from './journeys/journeys.handler';
import type { RouterConfig } from './config/router.config';

/** Queue group of the router's request handlers: instances share the requests. */
export const ROUTER_QUEUE = 'router';

/** How the router's durable consumers pace themselves, from its configuration (README). */
export function routerConsumers(config: RouterConfig): Record<string, ConsumerTuning> {
  return {
    [INBOUND_DURABLE]: {
      concurrency: config.ROUTER_CONCURRENCY,
      maxDeliver: config.ROUTER_INBOUND_MAX_DELIVER,
      backoffMs: config.ROUTER_INBOUND_BACKOFF_MS,
      ackWaitMs: config.ROUTER_ACK_WAIT_MS,
      leaseTermMs: config.ROUTER_PARTITION_LEASE_MS,
    },
    [STATUS_DURABLE]: {
      concurrency: config.ROUTER_CONCURRENCY,
      ackWaitMs: config.ROUTER_ACK_WAIT_MS,
    },
    [CORE_EVENTS_DURABLE]: { ackWaitMs: config.ROUTER_ACK_WAIT_MS },
    // Conversations in parallel, each one's events in order (keyOf): a projection, never urgent.
    [JOURNEYS_DURABLE]: { concurrency: 4, ackWaitMs: config.ROUTER_ACK_WAIT_MS },
  };
}
