import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects, inboundMsgId } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import type { FoundCard } from '@omnigate/crypto';
import { CardVault } from '@omnigate/store';
import { WHATSAPP_CONFIG } from '../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../config/gateway-whatsapp.config';
import type { WhatsAppInbound } from '../provider/whatsapp-provider.port';
import { ServiceWindowStore } from '../window/service-window.store';
import { whatsappMetrics } from '../whatsapp.metrics';
import { toInboundMessage } from './whatsapp-inbound.mapper';
import { loggableId } from '../whatsapp-log';

/**
 * One customer WhatsApp message from any adapter: redacted (cards kept in the vault), published on msg.in.v1.whatsapp with
 * the provider's id as dedupe key (a retried webhook yields one message), and the customer's
 * 24-hour window reopened. Resolves only after JetStream acknowledged.
 */
@Injectable()
export class WhatsAppInboundService {
  private readonly logger = new Logger('whatsapp-inbound');

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly redactor: PanRedactor,
    private readonly publisher: BusPublisher,
    private readonly window: ServiceWindowStore,
    private readonly vault: CardVault,
  ) {}

  async receive(m: WhatsAppInbound): Promise<void> {
    const now = new Date();
    const cards: FoundCard[] = [];
    const msg = toInboundMessage(m, {
      redact: (text) => {
        const r = this.redactor.redactWithCards(text);
        cards.push(...r.cards);
        return r;
      },
      id: randomUUID(),
      now,
      provider: this.config.WHATSAPP_PROVIDER,
    });
    // The numbers go to the vault (sealed) before the token that stands for them is published.
    await this.vault.keep(cards);
    const ack = await this.publisher.publish(
      Subjects.inbound('whatsapp'),
      InboundMessageV1Schema,
      msg,
      { msgId: inboundMsgId('whatsapp', msg.providerMessageId) },
    );
    await this.window.recordInbound(msg.from.address, now.getTime());
    whatsappMetrics.inboundPublished.inc({
      provider: this.config.WHATSAPP_PROVIDER,
      duplicate: String(ack.duplicate),
    });
    this.logger.log({
      msg: 'whatsapp inbound published',
      providerMessageId: loggableId(msg.providerMessageId),
      attachments: msg.attachments.length,
      redactions: msg.redactions.length,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
  }
}
