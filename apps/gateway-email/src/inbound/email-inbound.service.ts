import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { InboundPublisher } from '@omnigate/gateway-kit';
import type { CardRedaction } from '@omnigate/gateway-kit';
import { AttachmentStoreService } from '../attachments/attachment-store.service';
import type { StoredAttachments } from '../attachments/attachment-store.service';
import { refusedNote } from '../attachments/attachment-policy.mapper';
import { isAutomated } from '../attachments/refusal-reply.mapper';
import { RefusalReplyService } from '../attachments/refusal-reply.service';
import { dmarcProves } from '../auth/email-auth.mapper';
import type { EmailAuthSummary } from '../auth/email-auth.mapper';
import { EmailAuthService } from '../auth/email-auth.service';
import type { SmtpEnvelope } from '../auth/email-auth.service';
import { BounceService } from '../bounce/bounce.service';
import { isDsn } from '../bounce/dsn.mapper';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { EmailThreadsService } from '../threading/email-threads.service';
import { messageIdsOf } from '../threading/threading.mapper';
import { htmlToText } from './html-text.mapper';
import { toInboundMessage } from './email-inbound.mapper';
import { EmailQuarantineService } from './email-quarantine.service';
import { stripQuoted } from './quote-strip.mapper';

export type InboundSource = 'smtp' | 'imap';
export type InboundOutcome = 'published' | 'duplicate' | 'bounce' | 'quarantined';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function addressesOf(a: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value.map((v) => v.address ?? ''))
    .filter((x) => x.length > 0)
    .map((x) => x.toLowerCase());
}

/**
 * One inbound mail, from the SMTP listener or the IMAP mailbox: parsed, authenticated (SPF, DKIM,
 * DMARC), attachments checked and stored apart, thread matched, text cleaned and card numbers
 * redacted, then published on msg.in.v1.email by the kit's InboundPublisher (cards sealed to the
 * vault first, STOP recorded). Resolves only once JetStream has it, so the SMTP listener answers
 * 250 (or the IMAP poller moves past the UID) only for durable mail.
 */
@Injectable()
export class EmailInboundService {
  private readonly logger = new Logger('email-inbound');

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly auth: EmailAuthService,
    private readonly attachments: AttachmentStoreService,
    private readonly threads: EmailThreadsService,
    private readonly refusals: RefusalReplyService,
    private readonly bounces: BounceService,
    private readonly quarantine: EmailQuarantineService,
    private readonly inbound: InboundPublisher,
  ) {}

  async receive(
    raw: Buffer,
    envelope: SmtpEnvelope | null,
    source: InboundSource,
  ): Promise<InboundOutcome> {
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    } catch (e) {
      await this.quarantine.keep(
        raw,
        source,
        'EMAIL.UNPARSABLE',
        `mailparser could not read it: ${String(e)}`,
      );
      return 'quarantined';
    }
    const ct = parsed.headers.get('content-type') as
      { value?: string; params?: Record<string, string> } | undefined;
    if (isDsn(ct?.value, ct?.params?.['report-type'])) {
      const handled = await this.bounces.handle(parsed);
      if (handled) return 'bounce';
      await this.quarantine.keep(
        raw,
        source,
        'EMAIL.BOUNCE_UNMATCHED',
        'a bounce for no mail of ours',
      );
      return 'quarantined';
    }
    const from = parsed.from?.value[0];
    const fromAddress = from?.address?.trim().toLowerCase() ?? '';
    if (!EMAIL.test(fromAddress) || fromAddress.length > 320) {
      await this.quarantine.keep(raw, source, 'EMAIL.FROM_MISSING', 'no readable From address');
      return 'quarantined';
    }
    const messageId =
      messageIdsOf(parsed.messageId)[0] ??
      `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.invalid>`;
    if (await this.threads.seen(messageId)) {
      emailMetrics.inbound.inc({ source, outcome: 'duplicate' });
      return 'duplicate';
    }
    // Every text the customer wrote is redacted, each card sealed for the vault (the kit).
    const cards = this.inbound.redaction();
    const fromName = from?.name ? cards.redactKept(from.name) : null;
    await this.publishMail(
      raw,
      parsed,
      envelope,
      source,
      { messageId, fromAddress, fromName },
      cards,
    );
    return 'published';
  }

  private async publishMail(
    raw: Buffer,
    parsed: ParsedMail,
    envelope: SmtpEnvelope | null,
    source: InboundSource,
    sender: { messageId: string; fromAddress: string; fromName: string | null },
    cards: CardRedaction,
  ): Promise<void> {
    const { messageId, fromAddress, fromName } = sender;
    const auth = await this.auth.check(raw, envelope);
    emailMetrics.auth.inc({ dmarc: auth.dmarc });
    const inReplyTo = messageIdsOf(parsed.inReplyTo);
    const references = messageIdsOf(parsed.references);
    const recipients = [
      ...(envelope?.rcptTo ?? []),
      ...addressesOf(parsed.to),
      ...addressesOf(parsed.cc),
    ];
    const thread = await this.threads.match({ inReplyTo, references, recipients });
    // The attachments and the original are bound to this id, as the message will carry it.
    const providerMessageId = messageId.slice(0, 256);
    const stored = await this.storeAttachments(parsed, cards, providerMessageId);
    const texts = await this.textsOf(parsed, cards, stored, providerMessageId);
    const msg = toInboundMessage(
      {
        messageId,
        fromAddress,
        fromName,
        toAddress: recipients.find((r) => this.isOurs(r)) ?? this.config.EMAIL_FROM,
        ...texts,
        attachments: stored.refs,
        refusedCount: stored.refused.length,
        auth,
        thread,
      },
      randomUUID(),
      new Date(),
    );
    const ack = await this.inbound.publish(msg, cards);
    const subject = texts.subject;
    await this.threads.remember({
      messageId,
      address: fromAddress,
      subject,
      references,
      conversationId: thread?.conversationId ?? null,
    });
    if (stored.refused.length > 0 && this.mayAnswer(parsed, envelope, auth, fromAddress)) {
      // Not awaited: the sender's 250 does not wait for our answer (which never throws).
      void this.refusals.send(fromAddress, {
        messageId,
        subject,
        references,
        reasons: stored.refused,
      });
    }
    emailMetrics.inbound.inc({ source, outcome: ack.duplicate ? 'duplicate' : 'published' });
    this.logger.log({
      msg: 'email inbound published',
      messageId: msg.id,
      dmarc: auth.dmarc,
      thread: thread?.by ?? 'none',
      attachments: stored.refs.length,
      refused: stored.refused.length,
    });
  }

  /** Only a sender DMARC proved (no backscatter to a forged From), and never a machine. */
  private mayAnswer(
    parsed: ParsedMail,
    envelope: SmtpEnvelope | null,
    auth: EmailAuthSummary,
    fromAddress: string,
  ): boolean {
    return (
      dmarcProves(auth, fromAddress) &&
      !isAutomated(parsed.headers, envelope ? envelope.mailFrom : null)
    );
  }

  /** File names are text the customer typed too: card numbers in them are redacted and sealed. */
  private storeAttachments(
    parsed: ParsedMail,
    cards: CardRedaction,
    providerMessageId: string,
  ): Promise<StoredAttachments> {
    return this.attachments.storeAll(
      parsed.attachments
        .filter((a) => a.contentDisposition !== 'inline' || !a.related)
        .map((a) => ({
          filename: a.filename ? cards.redactKept(a.filename) : null,
          contentType: a.contentType,
          content: a.content,
        })),
      providerMessageId,
    );
  }

  /**
   * What the agent reads (subject, own text, refusal note), redacted; the message lists the
   * cards of these. The full text (history included) is kept apart for the agent who needs it,
   * redacted too and sealed to the router like the attachments (its cards sealed to the vault).
   */
  private async textsOf(
    parsed: ParsedMail,
    cards: CardRedaction,
    stored: StoredAttachments,
    providerMessageId: string,
  ) {
    const body = parsed.text?.trim()
      ? parsed.text
      : htmlToText(typeof parsed.html === 'string' ? parsed.html : '');
    const { text: ownText, stripped } = stripQuoted(body);
    const subject = cards.redact(parsed.subject ?? '');
    const own = cards.redact(ownText);
    const original = stripped
      ? await this.attachments.store(
          Buffer.from(cards.redactKept(body)),
          'text/plain',
          'original-message.txt',
          providerMessageId,
        )
      : null;
    return {
      subject: subject.text,
      text: [own.text, refusedNote(stored.refused)].filter((t) => t).join('\n\n'),
      redactions: [...subject.redactions, ...own.redactions],
      originalRef: original?.ref ?? null,
    };
  }

  private isOurs(address: string): boolean {
    return this.config.EMAIL_DOMAINS.includes(address.slice(address.lastIndexOf('@') + 1));
  }
}
