import { defineBroadcast, defineStream } from './bus-declarations';
import { ConversationEventV1Schema } from './events/conversation-event.v1';
import { TypingSignalV1Schema } from './events/typing-signal.v1';
import { CoreBankingEventV1Schema, coreEventMsgId } from './messages/core-banking-event.v1';
import { DeliveryStatusV1Schema, statusMsgId } from './messages/delivery-status.v1';
import { InboundMessageV1Schema, inboundMsgId } from './messages/inbound-message.v1';
import { SealedCardV1Schema, sealedCardMsgId } from './messages/sealed-card.v1';
import { Subjects } from './subjects';

/**
 * The JetStream subjects durable consumers read, and the core-NATS broadcasts, one declaration
 * each. Stream names match libs/bus `Streams` (a test there keeps them equal).
 */
export const StreamSubjects = {
  /** Every customer message, from every gateway; the channel is the last subject token. */
  inbound: defineStream({
    subject: Subjects.inboundAll,
    stream: 'MSG_IN',
    schema: InboundMessageV1Schema,
    publishSubject: (m) => Subjects.inbound(m.channel),
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
  /** Card numbers sealed to the vault at the edge; the channel is the last subject token. */
  sealedCards: defineStream({
    subject: Subjects.sealedCardAll,
    stream: 'CARDS',
    schema: SealedCardV1Schema,
    publishSubject: (c) => Subjects.sealedCard(c.channel),
    msgIdOf: (c) => sealedCardMsgId(c.ref),
  }),
} as const;

export const BroadcastSubjects = {
  /** What consoles show live; also stored on CONV_EVENTS, but read here without replay. */
  conversationEvents: defineBroadcast({
    subject: Subjects.conversationEventAll,
    schema: ConversationEventV1Schema,
  }),
  typing: defineBroadcast({ subject: Subjects.typingAll, schema: TypingSignalV1Schema }),
} as const;
