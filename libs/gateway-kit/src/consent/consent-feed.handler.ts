import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { Streams } from '@omnigate/bus';
import { ConsentChangedV1Schema, Subjects } from '@omnigate/contracts';
import type { ConsentChangedV1 } from '@omnigate/contracts';
import { DeferredConsumers } from '../deferred-consumers.service';
import { gatewayMetrics } from '../gateway-kit.metrics';
import { GATEWAY_KIT_OPTIONS } from '../gateway-kit.options';
import type { GatewayKitOptions } from '../gateway-kit.options';
import { RecipientVetoes } from '../recipients/recipient-vetoes.store';

/**
 * The router's consent decisions for this channel (keywords it saw, the app's settings, agents)
 * into the gateway's own opt-out list: the durable `gateway-<channel>-consent` on
 * `consent.v1.changed.<channel>`. Newest wins per purpose, so redeliveries change nothing.
 */
@Injectable()
export class ConsentFeedHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('gateway-consent');

  constructor(
    @Inject(GATEWAY_KIT_OPTIONS) private readonly options: GatewayKitOptions,
    private readonly consumers: DeferredConsumers,
    private readonly vetoes: RecipientVetoes,
  ) {}

  onApplicationBootstrap(): void {
    const channel = this.options.channel;
    void this.consumers.start({
      stream: Streams.CONSENT_EVENTS.name,
      durable: `gateway-${channel}-consent`,
      filterSubject: Subjects.consentChanged(channel),
      schema: ConsentChangedV1Schema,
      handle: (e) => this.handle(e),
      keyOf: () => channel,
    });
  }

  async handle(e: ConsentChangedV1): Promise<void> {
    const at = new Date(e.occurredAt);
    for (const address of e.addresses) {
      await this.vetoes.recordConsent(address, e.changes, at, e.source);
    }
    gatewayMetrics.consentEvents.inc({ channel: this.options.channel });
    this.logger.log({
      msg: 'consent change applied',
      channel: e.channel,
      addresses: e.addresses.length,
      changes: e.changes.length,
      source: e.source,
    });
  }
}
