import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InboundPublisher } from '@omnigate/gateway-kit';
import { WHATSAPP_CONFIG } from '../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../config/gateway-whatsapp.config';
import type { WhatsAppInbound } from '../provider/whatsapp-provider.port';
import { ServiceWindowStore } from '../window/service-window.store';
import { toInboundMessage } from './whatsapp-inbound.mapper';

/**
 * One customer WhatsApp message from any adapter: card numbers replaced by references (each
 * sealed to the vault), published on msg.in.v1.whatsapp with the provider's id as dedupe key (a
 * retried webhook yields one message), and the customer's 24-hour window reopened. Resolves only
 * after JetStream acknowledged (the kit's InboundPublisher).
 */
@Injectable()
export class WhatsAppInboundService {
  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly inbound: InboundPublisher,
    private readonly window: ServiceWindowStore,
  ) {}

  async receive(m: WhatsAppInbound): Promise<void> {
    const now = new Date();
    const cards = this.inbound.redaction();
    const msg = toInboundMessage(m, {
      redact: cards.redact,
      id: randomUUID(),
      now,
      provider: this.config.WHATSAPP_PROVIDER,
    });
    await this.inbound.publish(msg, cards);
    await this.window.recordInbound(msg.from.address, now.getTime());
  }
}
