import { Controller, Inject, Logger } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { OnStream } from '@omnigate/bus';
import { ChannelStreams } from '@omnigate/contracts';
import type { Channel, ConsentChangedV1 } from '@omnigate/contracts';
import { gatewayMetrics } from '../gateway-kit.metrics';
import { RecipientVetoes } from '../recipients/recipient-vetoes.store';

/** The durable of a gateway's consent feed: a wire contract (NATS permissions name it). */
export const consentDurableOf = (channel: Channel): string => `gateway-${channel}-consent`;

/**
 * The router's and the console's consent decisions for this channel (keywords they saw, the
 * app's settings, agents) into the gateway's own opt-out list: the `@OnStream` handler of
 * `consent.v1.changed.<channel>` (durable `gateway-<channel>-consent`), one event after the other.
 * Newest wins per purpose, so redeliveries change nothing. A class per gateway, as outboundHandler.
 */
export function consentFeedHandler(channel: Channel): Type {
  @Controller()
  class ConsentFeedHandler {
    private readonly logger = new Logger('gateway-consent');

    constructor(@Inject(RecipientVetoes) private readonly vetoes: RecipientVetoes) {}

    @OnStream(ChannelStreams.consentChanged[channel], {
      durable: consentDurableOf(channel),
      keyOf: () => channel,
    })
    async handle(e: ConsentChangedV1): Promise<void> {
      const at = new Date(e.occurredAt);
      for (const address of e.addresses) {
        await this.vetoes.recordConsent(address, e.changes, at, e.source);
      }
      gatewayMetrics.consentEvents.inc({ channel });
      this.logger.log({
        msg: 'consent change applied',
        channel,
        addresses: e.addresses.length,
        changes: e.changes.length,
        source: e.source,
      });
    }
  }
  return ConsentFeedHandler;
}
