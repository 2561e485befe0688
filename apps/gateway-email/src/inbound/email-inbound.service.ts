import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { BusPublisher } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects, inboundMsgId } from '@omnigate/contracts';
import type { Redaction } from '@omnigate/contracts';
import { CardSealer, PanRedactor } from '@omnigate/crypto';
import type { SealedCard } from '@omnigate/crypto';
import { AttachmentStoreService } from '../attachments/attachment-store.service';
import { refusedNote } from '../attachments/attachment-policy.mapper';
import { isAutomated } from '../attachments/refusal-reply.mapper';
import { RefusalReplyService } from '../attachments/refusal-reply.service';
import { dmarcProves } from '../auth/email-auth.mapper';
import { EmailAuthService } from '../auth/email-auth.service';
import type { SmtpEnvelope } from '../auth/email-auth.service';
import { BounceService } from '../bounce/bounce.service';
import { isDsn } from '../bounce/dsn.mapper';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { publishSealedCards } from '../sealing/sealed-cards.publisher';
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
 * redacted, then published on msg.in.v1.email. Resolves only once JetStream has it, so the SMTP
 * listener answers 250 (or the IMAP poller moves past the UID) only for durable mail.
 */
@Injectable()
export class EmailInboundService {
  private readonly logger = new Logger('email-inbound');

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly redactor: PanRedactor,
    private readonly auth: EmailAuthService,
    private readonly attachments: AttachmentStoreService,
    private readonly threads: EmailThreadsService,
    private readonly refusals: RefusalReplyService,
    private readonly bounces: BounceService,
    private readonly quarantine: EmailQuarantineService,
    private readonly publisher: BusPublisher,
    private readonly sealer: CardSealer,
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
    const fromName = from?.name ? this.redactor.redact(from.name).text : null;
    await this.publishMail(raw, parsed, envelope, source, messageId, fromAddress, fromName);
    return 'published';
  }

  private async publishMail(
    raw: Buffer,
    parsed: ParsedMail,
    envelope: SmtpEnvelope | null,
    source: InboundSource,
    messageId: string,
    fromAddress: string,
    fromName: string | null,
  ): Promise<void> {
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
    // File names are text the customer typed too: card numbers in them are redacted like the body's.
    const stored = await this.attachments.storeAll(
      parsed.attachments
        .filter((a) => a.contentDisposition !== 'inline' || !a.related)
        .map((a) => ({
          filename: a.filename ? this.redactor.redact(a.filename).text : null,
          contentType: a.contentType,
          content: a.content,
        })),
      providerMessageId,
    );
    const body = parsed.text?.trim()
      ? parsed.text
      : htmlToText(typeof parsed.html === 'string' ? parsed.html : '');
    const { text: ownText, stripped } = stripQuoted(body);
    const redactions: Redaction[] = [];
    const sealed: SealedCard[] = [];
    // Every card found is sealed for the vault; only the message's own text lists redactions.
    const seal = async (t: string, listed = true) => {
      const r = await this.sealer.redactAndSeal(t);
      sealed.push(...r.sealed);
      if (listed) redactions.push(...r.redactions);
      return r.text;
    };
    const subject = await seal(parsed.subject ?? '');
    const text = [await seal(ownText), refusedNote(stored.refused)].filter((t) => t).join('\n\n');
    // The full text (history included) is kept apart for the agent who needs it; redacted too,
    // sealed to the router like the attachments (its cards sealed to the vault).
    const original = stripped
      ? await this.attachments.store(
          Buffer.from(await seal(body, false)),
          'text/plain',
          'original-message.txt',
          providerMessageId,
        )
      : null;
    const msg = toInboundMessage(
      {
        messageId,
        fromAddress,
        fromName,
        toAddress: recipients.find((r) => this.isOurs(r)) ?? this.config.EMAIL_FROM,
        subject,
        text,
        redactions,
        attachments: stored.refs,
        refusedCount: stored.refused.length,
        auth,
        thread,
        originalRef: original?.ref ?? null,
      },
      randomUUID(),
      new Date(),
    );
    // The numbers go to the vault (sealed) before the references that stand for them.
    await publishSealedCards(this.publisher, 'email', sealed);
    const ack = await this.publisher.publish(
      Subjects.inbound('email'),
      InboundMessageV1Schema,
      msg,
      {
        msgId: inboundMsgId('email', msg.providerMessageId),
      },
    );
    await this.threads.remember({
      messageId,
      address: fromAddress,
      subject,
      references,
      conversationId: thread?.conversationId ?? null,
    });
    if (
      stored.refused.length > 0 &&
      dmarcProves(auth, fromAddress) &&
      !isAutomated(parsed.headers, envelope ? envelope.mailFrom : null)
    ) {
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
      redactions: redactions.length,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
  }

  private isOurs(address: string): boolean {
    return this.config.EMAIL_DOMAINS.includes(address.slice(address.lastIndexOf('@') + 1));
  }
}
