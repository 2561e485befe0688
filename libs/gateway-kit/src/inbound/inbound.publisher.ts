import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BusPublisher, NatsConnection } from '@omnigate/bus';
import type { PublishAck } from '@omnigate/bus';
import {
  InboundMessageV1Schema,
  classifyConsentKeyword,
  SEALED_CARD_V1,
  SealedCardV1Schema,
  Subjects,
  inboundMsgId,
  inboundOrderKey,
  partitionOf,
  sealedCardMsgId,
} from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import { CardSealer, PanRedactor } from '@omnigate/crypto';
import { SpanKind, inSpan } from '@omnigate/kit';
import { GatewayNotReadyError } from '../gateway-kit.errors';
import { gatewayMetrics } from '../gateway-kit.metrics';
import { GATEWAY_KIT_OPTIONS } from '../gateway-kit.options';
import type { GatewayKitOptions } from '../gateway-kit.options';
import { loggableId } from '../loggable-id.mapper';
import { RecipientVetoes } from '../recipients/recipient-vetoes.store';
import { CardRedaction } from './card-redaction';
import { sentAtWithin } from './sent-at.rule';

/**
 * A customer's message onto the bus: every free-text field redacted once more (card numbers
 * replaced by references, security codes, PINs and expiry dates removed: CardRedaction.envelope),
 * each card number it held sealed to the vault's public key and published on
 * `card.v1.sealed.<channel>` first, a STOP/START recorded in the gateway's own
 * opt-out list, then the message (text with references only) with msgId `<channel>:<provider id>`.
 * Resolves only after JetStream acknowledged all of it: the webhook answers the provider only then.
 */
@Injectable()
export class InboundPublisher {
  private readonly logger = new Logger('gateway-inbound');

  constructor(
    @Inject(GATEWAY_KIT_OPTIONS) private readonly options: GatewayKitOptions,
    private readonly redactor: PanRedactor,
    private readonly sealer: CardSealer,
    private readonly bus: BusPublisher,
    private readonly conn: NatsConnection,
    private readonly vetoes: RecipientVetoes,
  ) {}

  /** A fresh collector for one message's mapping. */
  redaction(): CardRedaction {
    return new CardRedaction(this.redactor);
  }

  /** The webhook edge's span starts here: the trace of a customer's message begins with it. */
  publish(mapped: InboundMessageV1, cards: CardRedaction): Promise<PublishAck> {
    const channel = this.options.channel;
    return inSpan(`inbound ${channel}`, () => this.publishTraced(mapped, cards), {
      kind: SpanKind.SERVER,
      attributes: { 'omnigate.channel': channel, 'omnigate.message.kind': mapped.kind },
    });
  }

  private async publishTraced(mapped: InboundMessageV1, cards: CardRedaction): Promise<PublishAck> {
    const channel = this.options.channel;
    if (mapped.channel !== channel) {
      throw new Error(`a ${mapped.channel} message on the ${channel} edge`);
    }
    if (!this.conn.streamsReady()) throw new GatewayNotReadyError();
    const published = gatewayMetrics.inboundPublishSeconds.startTimer({ channel });
    const msg = this.boundSentAt(cards.envelope(mapped));
    await this.publishSealed(msg, cards);
    if (msg.kind === 'optout' || msg.kind === 'optin') {
      // Written before the message is: a STOP is honoured even if the router is behind.
      const keyword =
        msg.meta?.keyword ?? classifyConsentKeyword(msg.text)?.keyword ?? msg.kind.toUpperCase();
      await this.vetoes.applyKeyword(msg.from.address, msg.kind, new Date(msg.occurredAt), keyword);
    }
    // The sender's partition: one router instance at a time has her messages, in order.
    const subject = Subjects.inboundPartitioned(channel, partitionOf(inboundOrderKey(msg)));
    const ack = await this.bus.publish(subject, InboundMessageV1Schema, msg, {
      msgId: inboundMsgId(channel, msg.providerMessageId),
    });
    published();
    gatewayMetrics.inboundPublished.inc({
      channel,
      kind: msg.kind,
      duplicate: String(ack.duplicate),
    });
    if (!ack.duplicate) this.countRedactions(msg, cards);
    this.logger.log({
      msg: 'inbound published',
      channel,
      providerMessageId: loggableId(msg.providerMessageId),
      kind: msg.kind,
      attachments: msg.attachments.length,
      redactions: msg.redactions.length,
      seq: ack.seq,
      duplicate: ack.duplicate,
    });
    return ack;
  }

  /**
   * The provider's send time only within bounds (sent-at.rule.ts): a message claiming a time
   * outside them is timed when the gateway received it. Counted and logged by reason, no content.
   */
  private boundSentAt(msg: InboundMessageV1): InboundMessageV1 {
    if (msg.sentAt === undefined) return msg;
    const verdict = sentAtWithin(msg.sentAt, new Date(msg.occurredAt));
    if ('sentAt' in verdict) return { ...msg, sentAt: verdict.sentAt };
    const { sentAt: _ignored, ...rest } = msg;
    gatewayMetrics.sentAtIgnored.inc({ channel: msg.channel, reason: verdict.ignored });
    this.logger.warn({
      msg: 'provider send time ignored',
      channel: msg.channel,
      providerMessageId: loggableId(msg.providerMessageId),
      reason: verdict.ignored,
    });
    return rest;
  }

  private countRedactions(msg: InboundMessageV1, cards: CardRedaction): void {
    const channel = this.options.channel;
    const sealed = cards.toSeal(msg).length;
    if (sealed > 0) gatewayMetrics.redactions.inc({ channel, kind: 'card' }, sealed);
    for (const kind of cards.removed) gatewayMetrics.redactions.inc({ channel, kind });
  }

  /**
   * Every card found in texts kept without a message (a quarantined mail): sealed to the vault
   * and published, so the references those texts show can be revealed like any other.
   */
  async sealFound(cards: CardRedaction): Promise<void> {
    await this.publishCards(cards.found);
    const channel = this.options.channel;
    if (cards.found.length > 0) {
      gatewayMetrics.redactions.inc({ channel, kind: 'card' }, cards.found.length);
    }
    for (const kind of cards.removed) gatewayMetrics.redactions.inc({ channel, kind });
  }

  /** Only the cards something shows: the vault learns each reference before any text shows it. */
  private async publishSealed(msg: InboundMessageV1, cards: CardRedaction): Promise<void> {
    await this.publishCards(cards.toSeal(msg));
  }

  private async publishCards(found: CardRedaction['found']): Promise<void> {
    const sealed = await this.sealer.sealCards(found);
    for (const s of sealed) {
      await this.bus.publish(
        Subjects.sealedCard(this.options.channel),
        SealedCardV1Schema,
        {
          type: SEALED_CARD_V1,
          version: 1,
          id: randomUUID(),
          occurredAt: new Date().toISOString(),
          channel: this.options.channel,
          ...s,
        },
        { msgId: sealedCardMsgId(s.ref) },
      );
      gatewayMetrics.cardsSealed.inc({ channel: this.options.channel });
    }
  }
}
