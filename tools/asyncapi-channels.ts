/**
 * The event subjects of the bus as the AsyncAPI document shows them: each declaration of
 * libs/contracts (StreamSubjects, ChannelStreams, BroadcastSubjects) with its address template,
 * built by the contracts' own subject functions, and a reader's description. The request subjects
 * need no table: every RequestDeclaration of AllRequests is listed as it is.
 */
import {
  ALL_INBOUND_PARTITIONS,
  BroadcastSubjects,
  CHANNELS,
  CORE_EVENT_KINDS,
  ChannelStreams,
  StreamSubjects,
  Subjects,
  partitionToken,
} from '@omnigate/contracts';
import type { BroadcastDeclaration, Channel, StreamDeclaration } from '@omnigate/contracts';
import { addressTemplate } from './asyncapi-subjects.mapper';
import type { AddressTemplate } from './asyncapi-subjects.mapper';

export interface ParameterSpec {
  description: string;
  enum?: readonly string[];
}

export interface EventChannel {
  /** The AsyncAPI channel id; the message and its payload schema are named `message`. */
  id: string;
  message: string;
  title: string;
  description: string;
  /** One declaration, or one per customer channel (the same schema on each subject). */
  declarations: ReadonlyArray<StreamDeclaration | BroadcastDeclaration>;
  address: AddressTemplate;
  parameters: Record<string, ParameterSpec>;
}

const channelParam: ParameterSpec = { description: 'The customer channel.', enum: CHANNELS };
const conversationParam: ParameterSpec = { description: 'The conversation id (a UUID).' };

function perChannel<D>(byChannel: Readonly<Record<Channel, D>>): D[] {
  return CHANNELS.map((c) => byChannel[c]);
}

/** Every event subject, in the order of the message path (in, out, status, then the rest). */
export const EVENT_CHANNELS: EventChannel[] = [
  {
    id: 'inbound',
    message: 'InboundMessageV1',
    title: 'Customer messages in',
    description:
      'Every customer message, from the gateway of its channel (card numbers already sealed to ' +
      'the vault and replaced by a reference). The channel is the subject token the NATS server ' +
      'let the gateway publish on, never a payload field.',
    declarations: [StreamSubjects.inbound],
    address: addressTemplate(
      (p) => `${Subjects.inbound(p('channel') as Channel)}.${p('partition')}`,
    ),
    parameters: {
      channel: channelParam,
      partition: {
        description:
          'The sender’s partition (libs/contracts inbound-partitions.ts): one router instance ' +
          'at a time reads it, so each sender’s messages stay in order.',
        enum: ALL_INBOUND_PARTITIONS.map(partitionToken),
      },
    },
  },
  {
    id: 'outbound',
    message: 'OutboundMessageV1',
    title: 'Replies and notifications out',
    description:
      'What the router sends a customer, for the gateway of that channel, which delivers it ' +
      'through its provider (each gateway reads its own channel only).',
    declarations: perChannel(ChannelStreams.outbound),
    address: addressTemplate((p) => Subjects.outbound(p('channel') as Channel)),
    parameters: { channel: channelParam },
  },
  {
    id: 'status',
    message: 'DeliveryStatusV1',
    title: 'Delivery states',
    description:
      'Sent, delivered, read or failed, from the gateway that delivered an outbound message.',
    declarations: [StreamSubjects.status],
    address: addressTemplate((p) => Subjects.status(p('channel') as Channel)),
    parameters: { channel: channelParam },
  },
  {
    id: 'conversationEvents',
    message: 'ConversationEventV1',
    title: 'Conversation events',
    description:
      'What the consoles show live (messages, statuses, routing, consent), published by the ' +
      'router on JetStream (kept a day); consoles subscribe on core NATS, without replay; the ' +
      'router’s journey projection reads them from the stream (durable router-journeys).',
    declarations: [BroadcastSubjects.conversationEvents, StreamSubjects.conversationEvents],
    address: addressTemplate((p) => Subjects.conversationEvent(p('conversationId'))),
    parameters: { conversationId: conversationParam },
  },
  {
    id: 'coreEvents',
    message: 'CoreBankingEventV1',
    title: 'Core-banking signals',
    description:
      'Fraud engine blocks, SIM swaps, new devices and phone changes from core banking ' +
      '(ids only: the router reads details from core banking when it needs them).',
    declarations: [StreamSubjects.coreEvents],
    address: addressTemplate((p) => Subjects.coreEvent(p('kind'))),
    parameters: { kind: { description: 'What happened.', enum: CORE_EVENT_KINDS } },
  },
  {
    id: 'sealedCards',
    message: 'SealedCardV1',
    title: 'Sealed card numbers',
    description:
      'A card number a gateway found in a customer message, sealed to the vault’s public key ' +
      '(HPKE): only the vault can open it. Never anything else on this subject.',
    declarations: [StreamSubjects.sealedCards],
    address: addressTemplate((p) => Subjects.sealedCard(p('channel') as Channel)),
    parameters: { channel: channelParam },
  },
  {
    id: 'consentChanged',
    message: 'ConsentChangedV1',
    title: 'Consent changes',
    description:
      'A customer’s consent on a channel changed (STOP, an app setting, an agent): for that ' +
      'channel’s gateway, which keeps its own opt-out list.',
    declarations: perChannel(ChannelStreams.consentChanged),
    address: addressTemplate((p) => Subjects.consentChanged(p('channel') as Channel)),
    parameters: { channel: channelParam },
  },
  {
    id: 'deadLetters',
    message: 'DeadLetterV1',
    title: 'Dead letters',
    description:
      'A message a durable consumer gave up on (libs/bus writes it on that consumer’s own ' +
      'subject), with the stable code of why; read entry by entry by the console and the ' +
      'operator tool, redriven by the router.',
    declarations: [StreamSubjects.deadLetters],
    address: addressTemplate((p) => Subjects.deadLetter(p('stream'), p('consumer'))),
    parameters: {
      stream: {
        description:
          'The stream the message was on, as a subject token (subjectToken: a name with capitals ' +
          'is hashed, `MSG_IN` → `h` + 32 hex digits).',
      },
      consumer: { description: 'The durable consumer that gave up (its name as a subject token).' },
    },
  },
  {
    id: 'typing',
    message: 'TypingSignalV1',
    title: 'Typing indicators',
    description: 'Core NATS only, nothing stored: a missed indicator is simply not shown.',
    declarations: [BroadcastSubjects.typing],
    address: addressTemplate((p) => Subjects.typing(p('conversationId'))),
    parameters: { conversationId: conversationParam },
  },
  {
    id: 'inappPush',
    message: 'InappPushV1',
    title: 'In-app pushes between gateway instances',
    description:
      'Core NATS only: an in-app gateway instance hands a message to the instance that holds ' +
      'the app user’s socket (the message itself is stored on the outbound stream).',
    declarations: [BroadcastSubjects.inappPush],
    address: addressTemplate((p) => Subjects.inappPush(p('appUser'))),
    parameters: {
      appUser: { description: 'The app user id as a subject token (hashed when not safe).' },
    },
  },
];
