import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { RecipientVetoes, StatusPublisher } from '@omnigate/gateway-kit';
import type { FormParams } from '../inbound/sms-inbound.mapper';
import { SmsProvider } from '../provider/sms-provider.port';
import { SmsPayloadMalformedError } from '../sms.errors';
import { smsMetrics } from '../sms.metrics';

const MessageId = z.uuid();

/** Twilio's status callbacks of our SMS → msg.status.v1.sms (the kit's StatusPublisher). */
@Injectable()
export class SmsStatusService {
  constructor(
    private readonly statuses: StatusPublisher,
    private readonly provider: SmsProvider,
    private readonly vetoes: RecipientVetoes,
  ) {}

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
    // A late 21610 means Twilio knows the recipient unsubscribed: our list must know too.
    if (update.providerErrorCode === '21610' && update.to) {
      await this.vetoes.optedOutAtProvider(update.to, 'TWILIO.21610');
    }
    await this.statuses.publish(messageId.data, update.state, {
      providerMessageId: update.providerMessageId,
      error: update.error,
    });
    smsMetrics.statusCallbacks.inc({ state: update.state });
  }
}
