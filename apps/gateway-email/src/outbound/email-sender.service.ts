import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { OutboundSender, SendResult } from '@omnigate/gateway-kit';
import { EMAIL_CONFIG, ourDomainOf } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { EmailStoreUnavailableError } from '../email.errors';
import { MailTransport } from '../provider/mail-transport.port';
import { EmailThreadsStore } from '../threading/email-threads.store';
import type { OutboundRecord } from '../threading/email-threads.store';
import { toOutgoingMail } from './email-outbound.mapper';

/**
 * The email side of the kit's send loop, its OutboundSender (msg.out.v1.email): our own
 * Message-ID kept with the conversation before the send (a quick reply already finds its thread,
 * a bounce finds the message, a retry reuses it), the mail threaded under the customer's last one,
 * sent by SMTP. A 5xx is rejected (failed status with the server's reason), a 4xx, a network
 * error or a refused login is retried with backoff. Vetoes, idempotency and statuses are the
 * loop's; our Message-ID is the provider id the `sent` status carries.
 */
@Injectable()
export class EmailSender implements OutboundSender {
  readonly acceptedState = 'sent';

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly transport: MailTransport,
    private readonly emails: EmailThreadsStore,
  ) {}

  recipientOf(msg: OutboundMessageV1): string {
    return msg.to.address.trim();
  }

  async send(msg: OutboundMessageV1, to: string): Promise<SendResult> {
    const record = await this.recordOf(msg);
    const parent = await this.store(() => this.emails.lastInboundFrom(to.toLowerCase()));
    await this.transport.send(
      toOutgoingMail(msg, {
        fromName: this.config.EMAIL_FROM_NAME,
        fromAddress: this.config.EMAIL_FROM,
        messageId: record.messageId,
        parent: parent
          ? { messageId: parent.messageId, subject: parent.subject, references: parent.references }
          : null,
      }),
    );
    return { providerMessageId: record.messageId };
  }

  /** The Message-ID this message goes out with: the one kept before, or a new one, kept now. */
  private async recordOf(msg: OutboundMessageV1): Promise<OutboundRecord> {
    const known = await this.store(() => this.emails.outbound(msg.messageId));
    if (known) return known;
    const record: OutboundRecord = {
      messageId: `<${randomUUID()}@${ourDomainOf(this.config)}>`,
      conversationId: msg.conversationId,
    };
    await this.store(() => this.emails.rememberOutbound(msg.messageId, record));
    return record;
  }

  private async store<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new EmailStoreUnavailableError(e);
    }
  }
}
