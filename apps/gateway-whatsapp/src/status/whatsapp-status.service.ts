import { Inject, Injectable, Logger } from '@nestjs/common';
import { StatusPublisher, loggableId } from '@omnigate/gateway-kit';
import { WHATSAPP_CONFIG } from '../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../config/gateway-whatsapp.config';
import type { WhatsAppStatusUpdate } from '../provider/whatsapp-provider.port';
import { whatsappMetrics } from '../whatsapp.metrics';
import { SentMessagesStore } from './sent-messages.store';

/** A provider's statuses of our WhatsApp messages → msg.status.v1.whatsapp (the kit's publisher). */
@Injectable()
export class WhatsAppStatusService {
  private readonly logger = new Logger('whatsapp-status');

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly statuses: StatusPublisher,
    private readonly sent: SentMessagesStore,
  ) {}

  /**
   * A provider's status of one of our messages; statuses of messages we do not know are dropped
   * (false: the caller may hold it until the send learns the id).
   */
  async fromProvider(update: WhatsAppStatusUpdate): Promise<boolean> {
    const messageId = update.messageId ?? (await this.sent.messageIdOf(update.providerMessageId));
    if (!messageId) {
      whatsappMetrics.unknownStatuses.inc({ provider: this.config.WHATSAPP_PROVIDER });
      this.logger.warn({
        msg: 'whatsapp status of an unknown message ignored',
        providerMessageId: loggableId(update.providerMessageId),
        state: update.state,
      });
      return false;
    }
    await this.statuses.publish(messageId, update.state, {
      providerMessageId: update.providerMessageId,
      error: update.error,
    });
    return true;
  }
}
