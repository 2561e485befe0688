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

/** Publishes delivery states of our mail on msg.status.v1.email, deduplicated per (message, state). */
@Injectable()
export class EmailStatusService {
  private readonly logger = new Logger('email-status');

  constructor(private readonly publisher: BusPublisher) {}

  async publish(
    messageId: string,
    state: DeliveryState,
    details: DeliveryStatusDetails = {},
  ): Promise<void> {
    const status = deliveryStatusV1('email', messageId, state, details, randomUUID(), new Date());
    const ack = await this.publisher.publish(
      Subjects.status('email'),
      DeliveryStatusV1Schema,
      status,
      {
        msgId: statusMsgId(messageId, state),
      },
    );
    this.logger.log({
      msg: 'email status published',
      messageId,
      state,
      code: details.error?.code,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
  }
}
