import { defineBroadcast, defineStream } from './bus-declarations';
import type { StreamDeclaration } from './bus-declarations';
import { CHANNELS } from './channel';
import type { Channel } from './channel';
import { InappPushV1Schema } from './events/inapp-push.v1';
import { ConversationEventV1Schema } from './events/conversation-event.v1';
import { TypingSignalV1Schema } from './events/typing-signal.v1';
import { CoreBankingEventV1Schema, coreEventMsgId } from './messages/core-banking-event.v1';
import { DeadLetterV1Schema, deadLetterMsgId } from './messages/dead-letter.v1';
import { DeliveryStatusV1Schema, statusMsgId } from './messages/delivery-status.v1';
import { ConsentChangedV1Schema } from './messages/consent-changed.v1';
import { InboundMessageV1Schema, inboundMsgId } from './messages/inbound-message.v1';
import { OutboundMessageV1Schema, outboundMsgId } from './messages/outbound-message.v1';
import { SealedCardV1Schema, sealedCardMsgId } from './messages/sealed-card.v1';
import { Subjects } from './subjects';
import { inboundOrderKey, partitionOf } from './inbound-partitions';

/**
 * The JetStream subjects, and the core-NATS broadcasts, one declaration each. Stream names match
 * libs/bus `Streams` (a test there keeps them equal); docs/asyncapi.yaml is generated from these.
 */
export const StreamSubjects = {
  /**
   * Every customer message, from every gateway, on `msg.in.v1.<channel>.<partition>`: the
   * partition follows the sender (inbound-partitions.ts), so one router instance at a time has
   * each sender's messages.
   */
  inbound: defineStream({
    subject: Subjects.inboundAll,
    stream: 'MSG_IN',
    schema: InboundMessageV1Schema,
    publishSubject: (m) => Subjects.inboundPartitioned(m.channel, partitionOf(inboundOrderKey(m))),
    msgIdOf: (m) => inboundMsgId(m.channel, m.providerMessageId),
  }),
  /** Delivery states from the gateways; the channel is the last subject token. */
  status: defineStream({
    subject: Subjects.statusAll,
    stream: 'MSG_STATUS',
    schema: DeliveryStatusV1Schema,
    publishSubject: (s) => Subjects.status(s.channel),
    msgIdOf: (s) => statusMsgId(s.messageId, s.state),
  }),
  /** Signals from core banking (fraud engine, SIM swap, new device, phone change). */
  coreEvents: defineStream({
    subject: Subjects.coreEventAll,
    stream: 'CORE_EVENTS',
    schema: CoreBankingEventV1Schema,
    publishSubject: (e) => Subjects.coreEvent(e.kind),
    msgIdOf: (e) => coreEventMsgId(e.coreEventId),
  }),
  /**
   * The same conversation events consoles get live, read from CONV_EVENTS by a durable consumer
   * (the router's journey projection): stored, in order per conversation, replayable.
   */
  conversationEvents: defineStream({
    subject: Subjects.conversationEventAll,
    stream: 'CONV_EVENTS',
    schema: ConversationEventV1Schema,
    publishSubject: (e) => Subjects.conversationEvent(e.conversationId),
  }),
  /** Card numbers sealed to the vault at the edge; the channel is the last subject token. */
  sealedCards: defineStream({
    subject: Subjects.sealedCardAll,
    stream: 'CARDS',
    schema: SealedCardV1Schema,
    publishSubject: (c) => Subjects.sealedCard(c.channel),
    msgIdOf: (c) => sealedCardMsgId(c.ref),
  }),
  /**
   * What a durable consumer gave up on (libs/bus writes it on that consumer’s own subject). Read
   * entry by entry (the console’s view, `npm run dlq:redrive`), by no durable consumer.
   */
  deadLetters: defineStream({
    subject: Subjects.deadLetterAll,
    stream: 'DLQ',
    schema: DeadLetterV1Schema,
    publishSubject: (e) => Subjects.deadLetter(e.stream, e.consumer),
    msgIdOf: (e) => deadLetterMsgId(e.stream, e.consumer, e.streamSeq),
  }),
} as const;

function perChannel<S extends StreamDeclaration>(
  declare: (channel: Channel) => S,
): Readonly<Record<Channel, S>> {
  return Object.freeze(
    Object.fromEntries(CHANNELS.map((c) => [c, declare(c)])) as Record<Channel, S>,
  );
}

/**
 * Streams read by one gateway each, on the subject of its own channel: one declaration per
 * channel, built from CHANNELS. Not one wildcard declaration, because a gateway's durable must
 * filter on its own channel (its NATS user may create that consumer with that filter only, and a
 * handler's declaration is its filter). Not a factory called at each use either: a record is
 * declared once and can be listed (tests, NATS permissions), and `ChannelStreams.outbound.sms` is
 * the same frozen object wherever it is named.
 */
export const ChannelStreams = {
  /** The router's replies and notifications, for the gateway of `msg.out.v1.<channel>`. */
  outbound: perChannel((channel) =>
    defineStream({
      subject: Subjects.outbound(channel),
      stream: 'MSG_OUT',
      schema: OutboundMessageV1Schema,
      msgIdOf: (m) => outboundMsgId(m.messageId),
    }),
  ),
  /** Consent decisions on one channel, for that gateway's own opt-out list. */
  consentChanged: perChannel((channel) =>
    defineStream({
      subject: Subjects.consentChanged(channel),
      stream: 'CONSENT_EVENTS',
      schema: ConsentChangedV1Schema,
    }),
  ),
} as const;

export const BroadcastSubjects = {
  /** What consoles show live; also stored on CONV_EVENTS, but read here without replay. */
  conversationEvents: defineBroadcast({
    subject: Subjects.conversationEventAll,
    schema: ConversationEventV1Schema,
  }),
  typing: defineBroadcast({ subject: Subjects.typingAll, schema: TypingSignalV1Schema }),
  /** In-app gateway instance → instance: an outbound message for the sockets it holds. */
  inappPush: defineBroadcast({ subject: Subjects.inappPushAll, schema: InappPushV1Schema }),
} as const;
