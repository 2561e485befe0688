import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import {
  DeliveryStatusV1Schema,
  Subjects,
  deliveryStatusV1,
  statusMsgId,
} from '@omnigate/contracts';
import type { DeliveryState, DeliveryStatusDetails } from '@omnigate/contracts';

/**
 * Publishes delivery states of our Telegram messages on msg.status.v1.telegram, deduplicated per
 * (message, state). Telegram has no delivery receipts: `sent` is the last state we can know.
 */
@Injectable()
export class TelegramStatusService {
  private readonly logger = new Logger('telegram-status');

  constructor(private readonly publisher: BusPublisher) {}

  async publish(
    messageId: string,
    state: DeliveryState,
    details: DeliveryStatusDetails = {},
  ): Promise<void> {
    const status = deliveryStatusV1(
      'telegram',
      messageId,
      state,
      details,
      randomUUID(),
      new Date(),
    );
    const ack = await this.publisher.publish(
      Subjects.status('telegram'),
      DeliveryStatusV1Schema,
      status,
      { msgId: statusMsgId(messageId, state) },
    );
    this.logger.log({
      msg: 'telegram status published',
      messageId,
      state,
      code: details.error?.code,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
  }
}
