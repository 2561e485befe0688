import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { BusPublisher } from '@omnigate/bus';
import {
  DeliveryStatusV1Schema,
  Subjects,
  deliveryStatusV1,
  statusMsgId,
} from '@omnigate/contracts';
import type { DeliveryState, DeliveryStatusDetails } from '@omnigate/contracts';
import { OptOutsRepository } from '@omnigate/store';
import type { FormParams } from '../inbound/sms-inbound.mapper';
import { SmsProvider } from '../provider/sms-provider.port';
import { SmsPayloadMalformedError } from '../sms.errors';
import { smsMetrics } from '../sms.metrics';

const MessageId = z.uuid();

/** Publishes delivery states of our SMS on msg.status.v1.sms, deduplicated per (message, state). */
@Injectable()
export class SmsStatusService {
  private readonly logger = new Logger('sms-status');

  constructor(
    private readonly publisher: BusPublisher,
    private readonly provider: SmsProvider,
    private readonly optOuts: OptOutsRepository,
  ) {}

  async publish(
    messageId: string,
    state: DeliveryState,
    details: DeliveryStatusDetails = {},
  ): Promise<void> {
    const status = deliveryStatusV1('sms', messageId, state, details, randomUUID(), new Date());
    const ack = await this.publisher.publish(
      Subjects.status('sms'),
      DeliveryStatusV1Schema,
      status,
      {
        msgId: statusMsgId(messageId, state),
      },
    );
    this.logger.log({
      msg: 'sms status published',
      messageId,
      state,
      code: details.error?.code,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
  }

  /** A Twilio status callback for our message `mid` (the query param we put in the callback URL). */
  async fromCallback(mid: string | undefined, form: FormParams): Promise<void> {
    const messageId = MessageId.safeParse(mid);
    if (!messageId.success) {
      throw new SmsPayloadMalformedError("query parameter 'mid' must be our message id (a UUID)");
    }
    const update = this.provider.parseStatus(form);
    if (!update) {
      smsMetrics.statusCallbacks.inc({ state: 'ignored' });
      return;
    }
    // A late 21610 means Twilio knows the recipient unsubscribed: our table must know too.
    if (update.providerErrorCode === '21610' && update.to) {
      await this.optOuts.set('sms', update.to, true, 'TWILIO_21610');
    }
    await this.publish(messageId.data, update.state, {
      providerMessageId: update.providerMessageId,
      error: update.error,
    });
    smsMetrics.statusCallbacks.inc({ state: update.state });
  }
}
