import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { BusConsumers, Streams, TransientError } from '@omnigate/bus';
import { OutboundMessageV1Schema, Subjects } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { EMAIL_CONFIG, ourDomainOf } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { MailSendError, MailTransport } from '../provider/mail-transport.port';
import { EmailStatusService } from '../status/email-status.service';
import { EmailThreadsStore } from '../threading/email-threads.store';
import type { OutboundRecord } from '../threading/email-threads.store';
import { toOutgoingMail } from './email-outbound.mapper';

/**
 * Consumes msg.out.v1.email: our own Message-ID stored with the conversation (before sending, so
 * a quick reply already finds its thread), the mail threaded under the customer's last one, sent
 * by SMTP; 5xx → failed status, 4xx/network → retry with backoff. A redelivery of a message
 * already sent reports again and never sends twice.
 */
@Injectable()
export class EmailSendHandler implements OnApplicationBootstrap {
  private readonly logger = new Logger('email-send');

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly consumers: BusConsumers,
    private readonly transport: MailTransport,
    private readonly emails: EmailThreadsStore,
    private readonly statuses: EmailStatusService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      stream: Streams.MSG_OUT.name,
      durable: 'gateway-email-send',
      filterSubject: Subjects.outbound('email'),
      schema: OutboundMessageV1Schema,
      handle: (msg) => this.handle(msg),
      maxDeliver: this.config.EMAIL_SEND_MAX_ATTEMPTS,
      backoffMs: this.config.EMAIL_SEND_BACKOFF_MS,
      concurrency: this.config.EMAIL_SEND_CONCURRENCY,
      keyOf: (msg) => msg.conversationId,
    });
  }

  async handle(msg: OutboundMessageV1): Promise<void> {
    const row = (await this.emails.outbound(msg.messageId)) ?? (await this.record(msg));
    if (row.state === 'sent' || row.state === 'failed') {
      await this.statuses.publish(msg.messageId, row.state, { providerMessageId: row.messageId });
      this.count('already_handled', msg);
      return;
    }
    const parent = await this.emails.lastInboundFrom(msg.to.address.toLowerCase());
    const mail = toOutgoingMail(msg, {
      fromName: this.config.EMAIL_FROM_NAME,
      fromAddress: this.config.EMAIL_FROM,
      messageId: row.messageId,
      parent: parent
        ? { messageId: parent.messageId, subject: parent.subject, references: parent.references }
        : null,
    });
    try {
      await this.transport.send(mail);
    } catch (e) {
      await this.onFailure(msg, row, e);
      return;
    }
    await this.emails.setState(msg.messageId, 'sent');
    await this.statuses.publish(msg.messageId, 'sent', { providerMessageId: row.messageId });
    this.count('sent', msg);
  }

  private async record(msg: OutboundMessageV1): Promise<OutboundRecord> {
    const row: OutboundRecord = {
      messageId: `<${randomUUID()}@${ourDomainOf(this.config)}>`,
      conversationId: msg.conversationId,
      state: 'queued',
    };
    await this.emails.rememberOutbound(msg.messageId, row);
    return row;
  }

  private async onFailure(msg: OutboundMessageV1, row: OutboundRecord, e: unknown): Promise<void> {
    if (!(e instanceof MailSendError) || e.kind === 'retry') {
      this.count('retry', msg, e instanceof MailSendError ? e.code : 'EMAIL.SEND_FAILED');
      throw new TransientError(
        'EMAIL.SMTP_UNAVAILABLE',
        'The mail server did not take the message; will retry',
        e,
      );
    }
    await this.emails.setState(msg.messageId, 'failed');
    await this.statuses.publish(msg.messageId, 'failed', {
      providerMessageId: row.messageId,
      error: { code: e.code, reason: e.reason },
    });
    this.count('rejected', msg, e.code);
  }

  private count(outcome: string, msg: OutboundMessageV1, code?: string): void {
    emailMetrics.sends.inc({ outcome });
    this.logger.log({ msg: 'email send', outcome, messageId: msg.messageId, code });
  }
}
