import { Injectable, Logger } from '@nestjs/common';
import type { ParsedMail } from 'mailparser';
import { StatusPublisher } from '@omnigate/gateway-kit';
import { emailMetrics } from '../email.metrics';
import { EmailThreadsStore } from '../threading/email-threads.store';
import { messageIdsOf } from '../threading/threading.mapper';
import { bounceOf, bounceReason } from './dsn.mapper';

/**
 * A delivery status notification about our mail: a final failure becomes a failed
 * DeliveryStatus of the outbound message it reports on; a delay is only counted.
 */
@Injectable()
export class BounceService {
  private readonly logger = new Logger('email-bounce');

  constructor(
    private readonly emails: EmailThreadsStore,
    private readonly statuses: StatusPublisher,
  ) {}

  /** False when the bounce is about no mail of ours (the caller keeps it for an operator). */
  async handle(parsed: ParsedMail): Promise<boolean> {
    const bounce = bounceOf(
      parsed.attachments.map((a) => ({ contentType: a.contentType, content: a.content })),
      messageIdsOf(parsed.inReplyTo)[0] ?? null,
      parsed.text ?? '',
    );
    const row = bounce ? await this.emails.byMessageId(bounce.originalMessageId) : null;
    if (!bounce || !row || row.direction !== 'outbound' || !row.ourMessageId) {
      emailMetrics.bounces.inc({ outcome: 'unmatched' });
      return false;
    }
    if (bounce.action !== 'failed') {
      emailMetrics.bounces.inc({ outcome: bounce.action });
      return true;
    }
    await this.statuses.publish(row.ourMessageId, 'failed', {
      providerMessageId: row.messageId,
      error: { code: 'EMAIL.BOUNCED', reason: bounceReason(bounce) },
    });
    emailMetrics.bounces.inc({ outcome: 'failed' });
    this.logger.log({
      msg: 'email bounce recorded',
      messageId: row.ourMessageId,
      status: bounce.status,
    });
    return true;
  }
}
