import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMAIL_CONFIG, ourDomainOf } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { MailTransport } from '../provider/mail-transport.port';
import { refusalReply } from './refusal-reply.mapper';
import type { RefusalReplyInput } from './refusal-reply.mapper';

/**
 * Tells the customer which attachments were refused and why. Only to a sender DMARC proved (an
 * answer to a forged From would be backscatter) and never to a machine; best effort: the agent
 * already has the same note on the message, so a failed send is only logged.
 */
@Injectable()
export class RefusalReplyService {
  private readonly logger = new Logger('email-refusal-reply');

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly transport: MailTransport,
  ) {}

  async send(to: string, input: RefusalReplyInput): Promise<void> {
    if (!this.config.EMAIL_REFUSAL_AUTOREPLY || input.reasons.length === 0) return;
    const reply = refusalReply(input);
    try {
      await this.transport.send({
        from: { name: this.config.EMAIL_FROM_NAME, address: this.config.EMAIL_FROM },
        replyTo: this.config.EMAIL_FROM,
        to,
        messageId: `<${randomUUID()}@${ourDomainOf(this.config)}>`,
        ...reply,
      });
      emailMetrics.sends.inc({ outcome: 'refusal_reply' });
    } catch (e) {
      emailMetrics.sends.inc({ outcome: 'refusal_reply_failed' });
      this.logger.warn({ msg: 'refusal auto-reply not sent', err: String(e) });
    }
  }
}
