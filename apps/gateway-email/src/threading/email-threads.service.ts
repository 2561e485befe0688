import { Inject, Injectable, Logger } from '@nestjs/common';
import { EMAIL_CONFIG, ourDomainOf } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { EmailStoreUnavailableError } from '../email.errors';
import { EmailThreadsStore } from './email-threads.store';
import { matchThread } from './threading.mapper';
import type { ThreadCandidates, ThreadMatch } from './threading.mapper';

export interface InboundRecord {
  messageId: string;
  address: string;
  subject: string;
  references: string[];
  conversationId: string | null;
}

/** The inbound side of the Message-ID bucket: seen before?, which thread?, remember it. */
@Injectable()
export class EmailThreadsService {
  private readonly logger = new Logger('email-threads');

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly emails: EmailThreadsStore,
  ) {}

  /** True when this inbound Message-ID was published already (a retry, an IMAP re-read). */
  async seen(messageId: string): Promise<boolean> {
    try {
      return (await this.emails.byMessageId(messageId))?.direction === 'inbound';
    } catch (e) {
      throw new EmailStoreUnavailableError(e);
    }
  }

  async match(c: ThreadCandidates): Promise<{ conversationId: string; by: ThreadMatch } | null> {
    let known: Map<string, string>;
    try {
      const rows = await this.emails.many([...c.inReplyTo, ...c.references]);
      known = new Map(
        rows.filter((r) => r.conversationId).map((r) => [r.messageId, r.conversationId!]),
      );
    } catch (e) {
      throw new EmailStoreUnavailableError(e);
    }
    return matchThread(c, known, {
      base: this.config.EMAIL_FROM.split('@')[0]!,
      domains: [...this.config.EMAIL_DOMAINS, ourDomainOf(this.config)],
    });
  }

  /** After the publish, so a re-read or a sender's retry is recognised. Never throws. */
  async remember(r: InboundRecord): Promise<void> {
    try {
      await this.emails.rememberInbound({
        messageId: r.messageId,
        direction: 'inbound',
        conversationId: r.conversationId,
        ourMessageId: null,
        address: r.address,
        subject: r.subject,
        references: r.references,
      });
    } catch (e) {
      // Published already: the router dedupes a re-read by Message-ID, so this is not fatal.
      this.logger.warn({
        msg: 'email thread record failed',
        code: 'EMAIL.STORE_UNAVAILABLE',
        err: String(e),
      });
    }
  }
}
