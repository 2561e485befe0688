import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusConsumers, Streams, TransientError } from '@omnigate/bus';
import { OutboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { MessagesRepository, SentLedger, OptOutsRepository } from '@omnigate/store';
import { SMS_CONFIG } from '../config/gateway-sms.config';
import type { GatewaySmsConfig } from '../config/gateway-sms.config';
import { toE164OrRaw } from '../phone-number.mapper';
import { SmsSendError } from '../provider/sms-provider.errors';
import { SmsProvider } from '../provider/sms-provider.port';
import { smsMetrics } from '../sms.metrics';
import { SmsStatusService } from '../status/sms-status.service';
import { OPTED_OUT_FAILURE, toSendRequest } from './sms-outbound.mapper';

/**
 * Consumes msg.out.v1.sms and sends through the provider. Never to an opted-out number; a
 * rejected message (invalid number...) becomes a failed status and is acknowledged; a transient
 * failure (429, 5xx, network) is retried with backoff. Statuses go out on msg.status.v1.sms.
 */
@Injectable()
export class SmsSendHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('sms-send');
  private readonly ledger: SentLedger;

  constructor(
    @Inject(SMS_CONFIG) private readonly config: GatewaySmsConfig,
    private readonly consumers: BusConsumers,
    private readonly provider: SmsProvider,
    private readonly statuses: SmsStatusService,
    private readonly optOuts: OptOutsRepository,
    messages: MessagesRepository,
  ) {
    this.ledger = new SentLedger(messages);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.MSG_OUT.name,
      durable: 'gateway-sms-send',
      filterSubject: Subjects.outbound('sms'),
      schema: OutboundMessageV1Schema,
      handle: (msg) => this.handle(msg),
      maxDeliver: this.config.SMS_SEND_MAX_ATTEMPTS,
      backoffMs: this.config.SMS_SEND_BACKOFF_MS,
      concurrency: this.config.SMS_SEND_CONCURRENCY,
      keyOf: (msg) => msg.conversationId,
    });
  }

  async handle(msg: OutboundMessageV1): Promise<void> {
    const to = toE164OrRaw(msg.to.address, this.config.SMS_DEFAULT_REGION);
    if (await this.optOuts.isOptedOut('sms', to)) {
      await this.statuses.publish(msg.messageId, 'failed', { error: OPTED_OUT_FAILURE });
      this.count('opted_out', msg);
      return;
    }
    const sentBefore = await this.ledger.providerIdOf(msg.messageId);
    if (sentBefore) {
      // Redelivered after a crash or a failed status publish: report, never send twice.
      await this.statuses.publish(msg.messageId, 'queued', { providerMessageId: sentBefore });
      this.count('already_sent', msg);
      return;
    }
    let providerMessageId: string;
    try {
      ({ providerMessageId } = await this.provider.send(
        toSendRequest(msg, to, this.config.SMS_PUBLIC_URL),
      ));
    } catch (e) {
      await this.onSendFailure(msg, to, e);
      return;
    }
    this.ledger.remember(msg.messageId, providerMessageId);
    await this.statuses.publish(msg.messageId, 'queued', { providerMessageId });
    this.count('sent', msg);
  }

  private async onSendFailure(msg: OutboundMessageV1, to: string, e: unknown): Promise<void> {
    if (!(e instanceof SmsSendError) || e.kind === 'retry') {
      this.count('retry', msg, e instanceof SmsSendError ? e.code : 'SMS.SEND_FAILED');
      throw new TransientError(
        'SMS.PROVIDER_UNAVAILABLE',
        'The SMS provider did not take the message; will retry',
        e,
      );
    }
    if (e.kind === 'opted_out') await this.optOuts.set('sms', to, true, 'TWILIO_21610');
    await this.statuses.publish(msg.messageId, 'failed', {
      error: { code: e.code, reason: e.reason },
    });
    this.count(e.kind, msg, e.code);
  }

  private count(outcome: string, msg: OutboundMessageV1, code?: string): void {
    smsMetrics.sends.inc({ outcome });
    this.logger.log({ msg: 'sms send', outcome, messageId: msg.messageId, code });
  }
}
