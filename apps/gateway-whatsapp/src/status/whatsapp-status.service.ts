import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import {
  DeliveryStatusV1Schema,
  Subjects,
  deliveryStatusV1,
  statusMsgId,
} from '@omnigate/contracts';
import type { DeliveryState, DeliveryStatusDetails } from '@omnigate/contracts';
import { WHATSAPP_CONFIG } from '../config/gateway-whatsapp.config';
import type { GatewayWhatsAppConfig } from '../config/gateway-whatsapp.config';
import type { WhatsAppStatusUpdate } from '../provider/whatsapp-provider.port';
import { whatsappMetrics } from '../whatsapp.metrics';
import { SentMessagesStore } from './sent-messages.store';
import { loggableId } from '../whatsapp-log';

/** Publishes delivery states of our WhatsApp messages on msg.status.v1.whatsapp, deduplicated per (message, state). */
@Injectable()
export class WhatsAppStatusService {
  private readonly logger = new Logger('whatsapp-status');

  constructor(
    @Inject(WHATSAPP_CONFIG) private readonly config: GatewayWhatsAppConfig,
    private readonly publisher: BusPublisher,
    private readonly sent: SentMessagesStore,
  ) {}

  async publish(
    messageId: string,
    state: DeliveryState,
    details: DeliveryStatusDetails = {},
  ): Promise<void> {
    const status = deliveryStatusV1(
      'whatsapp',
      messageId,
      state,
      details,
      randomUUID(),
      new Date(),
    );
    const ack = await this.publisher.publish(
      Subjects.status('whatsapp'),
      DeliveryStatusV1Schema,
      status,
      { msgId: statusMsgId(messageId, state) },
    );
    whatsappMetrics.statuses.inc({ provider: this.config.WHATSAPP_PROVIDER, state });
    this.logger.log({
      msg: 'whatsapp status published',
      messageId,
      state,
      code: details.error?.code,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
  }

  /**
   * A provider's status of one of our messages; statuses of messages we do not know are dropped
   * (false: the caller may hold it until the send learns the id).
   */
  async fromProvider(update: WhatsAppStatusUpdate): Promise<boolean> {
    const messageId = update.messageId ?? (await this.sent.messageIdOf(update.providerMessageId));
    if (!messageId) {
      whatsappMetrics.statuses.inc({
        provider: this.config.WHATSAPP_PROVIDER,
        state: 'unknown_message',
      });
      this.logger.warn({
        msg: 'whatsapp status of an unknown message ignored',
        providerMessageId: loggableId(update.providerMessageId),
        state: update.state,
      });
      return false;
    }
    await this.publish(messageId, update.state, {
      providerMessageId: update.providerMessageId,
      error: update.error,
    });
    return true;
  }
}
