import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusPublisher } from '@omnigate/bus';
import { InboundMessageV1Schema, Subjects, inboundMsgId } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import type { FoundCard } from '@omnigate/crypto';
import { CardVault, OptOutsRepository } from '@omnigate/store';
import { SMS_CONFIG } from '../config/gateway-sms.config';
import type { GatewaySmsConfig } from '../config/gateway-sms.config';
import { SmsStoreUnavailableError } from '../sms.errors';
import { smsMetrics } from '../sms.metrics';
import { mapTwilioInbound } from './sms-inbound.mapper';
import type { FormParams } from './sms-inbound.mapper';

/**
 * One inbound SMS: mapped (card numbers redacted first), consent keywords recorded in our own
 * opt-out table (the authority: Twilio's filtering does not cover every sender type), then
 * published with the MessageSid as dedupe key, so a retried webhook yields one message.
 * Resolves only after JetStream acknowledged.
 */
@Injectable()
export class SmsInboundService {
  private readonly logger = new Logger('sms-inbound');

  constructor(
    @Inject(SMS_CONFIG) private readonly config: GatewaySmsConfig,
    private readonly redactor: PanRedactor,
    private readonly optOuts: OptOutsRepository,
    private readonly publisher: BusPublisher,
    private readonly vault: CardVault,
  ) {}

  async receive(form: FormParams): Promise<InboundMessageV1['kind']> {
    const cards: FoundCard[] = [];
    const msg = mapTwilioInbound(form, {
      region: this.config.SMS_DEFAULT_REGION,
      redact: (text) => {
        const r = this.redactor.redactWithCards(text);
        cards.push(...r.cards);
        return r;
      },
      id: randomUUID(),
      now: new Date(),
    });
    // The numbers go to the vault (sealed) before the token that stands for them is published.
    await this.vault.keep(cards).catch((e: unknown) => {
      throw new SmsStoreUnavailableError(e);
    });
    if (msg.kind === 'optout' || msg.kind === 'optin') await this.recordConsent(msg);
    const ack = await this.publisher.publish(Subjects.inbound('sms'), InboundMessageV1Schema, msg, {
      msgId: inboundMsgId('sms', msg.providerMessageId),
    });
    smsMetrics.inboundPublished.inc({ kind: msg.kind, duplicate: String(ack.duplicate) });
    this.logger.log({
      msg: 'sms inbound published',
      providerMessageId: msg.providerMessageId,
      kind: msg.kind,
      redactions: msg.redactions.length,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
    return msg.kind;
  }

  private async recordConsent(msg: InboundMessageV1): Promise<void> {
    const optedOut = msg.kind === 'optout';
    try {
      await this.optOuts.set(
        'sms',
        msg.from.address,
        optedOut,
        msg.meta?.keyword ?? msg.kind.toUpperCase(),
      );
    } catch (e) {
      throw new SmsStoreUnavailableError(e);
    }
    this.logger.log({
      msg: optedOut ? 'sms opt-out recorded' : 'sms opt-in recorded',
      providerMessageId: msg.providerMessageId,
    });
  }
}
