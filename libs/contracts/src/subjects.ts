import { createHash } from 'node:crypto';
import { ChannelSchema } from './channel';
import type { Channel } from './channel';
import { partitionToken } from './inbound-partitions';

/**
 * WARNING: subjects are wire contracts. Do not rename one without publishing the new version
 * beside the old one until every consumer has moved. Golden test: subjects.spec.ts.
 * Grammar: broad token first, tokens of [a-z0-9_-], so `msg.in.v1.>` reads every inbound.
 */
export const Subjects = {
  /** Unpartitioned (before partitions; still read, see inboundUnpartitioned). */
  inbound: (channel: Channel) => `msg.in.v1.${channel}`,
  inboundAll: 'msg.in.v1.>',
  /** What gateways publish: the sender's partition as the last token (inbound-partitions.ts). */
  inboundPartitioned: (channel: Channel, partition: number) =>
    `msg.in.v1.${channel}.${partitionToken(partition)}`,
  /** One partition of every channel: the filter of that partition's router durable. */
  inboundPartition: (partition: number) => `msg.in.v1.*.${partitionToken(partition)}`,
  /** The unpartitioned subjects of older gateways (and tools): read by one router instance. */
  inboundUnpartitioned: 'msg.in.v1.*',
  outbound: (channel: Channel) => `msg.out.v1.${channel}`,
  outboundAll: 'msg.out.v1.>',
  status: (channel: Channel) => `msg.status.v1.${channel}`,
  statusAll: 'msg.status.v1.>',
  conversationEvent: (conversationId: string) => `conv.v1.${conversationId}.event`,
  conversationEventAll: 'conv.v1.*.event',
  deadLetter: (stream: string, consumer: string) =>
    `dlq.v1.${subjectToken(stream)}.${subjectToken(consumer)}`,
  deadLetterAll: 'dlq.v1.>',
  /** Core NATS (not stored): ephemeral in-app pushes between gateway instances. */
  inappPush: (appUserId: string) => `inapp.v1.push.${subjectToken(appUserId)}`,
  inappPushAll: 'inapp.v1.push.*',
  /** Core NATS (not stored): typing indicators. */
  typing: (conversationId: string) => `typing.v1.${conversationId}`,
  typingAll: 'typing.v1.*',
  /** JetStream: card numbers sealed to the vault at the edge (libs/contracts sealed-card.v1). */
  sealedCard: (channel: Channel) => `card.v1.sealed.${channel}`,
  sealedCardAll: 'card.v1.sealed.>',
  /** JetStream: a customer's consent on a channel changed (router → that channel's gateway). */
  consentChanged: (channel: Channel) => `consent.v1.changed.${channel}`,
  consentChangedAll: 'consent.v1.changed.>',
  /**
   * Core NATS (not stored): router → every router instance, some customers' links changed (a
   * link, a revoke, an erasure): cached identities of them are forgotten at once.
   */
  identityChanged: 'router.v1.identity.changed',
  /** JetStream: signals from core banking (fraud engine, SIM swap, new device). */
  coreEvent: (kind: string) => `core.v1.event.${kind}`,
  coreEventAll: 'core.v1.event.>',
  rpc: {
    sendReply: 'rpc.v1.router.send_reply',
    getContext: 'rpc.v1.router.get_context',
    issueLinkCode: 'rpc.v1.router.issue_link_code',
    unlinkIdentity: 'rpc.v1.router.unlink_identity',
    decideStepUp: 'rpc.v1.router.decide_step_up',
    cardAction: 'rpc.v1.router.card_action',
    ticketAction: 'rpc.v1.router.ticket_action',
    decideApproval: 'rpc.v1.router.decide_approval',
    listApprovals: 'rpc.v1.router.list_approvals',
    setControl: 'rpc.v1.router.set_control',
    setAgentPresence: 'rpc.v1.router.set_agent_presence',
    listQueues: 'rpc.v1.router.list_queues',
    getAppConsents: 'rpc.v1.router.get_app_consents',
    setAppConsent: 'rpc.v1.router.set_app_consent',
    /** Console → router: a customer's consents, an agent's change, a DPO's export and erasure. */
    getCustomerConsents: 'rpc.v1.router.get_customer_consents',
    setCustomerConsents: 'rpc.v1.router.set_customer_consents',
    exportCustomer: 'rpc.v1.router.export_customer',
    eraseCustomer: 'rpc.v1.router.erase_customer',
    /** Console → router: put dead letters back (the console's NATS user may only read the DLQ). */
    redriveDeadLetters: 'rpc.v1.router.redrive_dead_letters',
    /** Operator → router: rebuild the journey projection from CONV_EVENTS (commands/journeys.v1). */
    rebuildJourneys: 'rpc.v1.router.rebuild_journeys',
    /** In-app gateway → router (commands/app-conversation.v1). */
    appHistory: 'rpc.v1.router.app_history',
    appReceipts: 'rpc.v1.router.app_receipts',
    appConversation: 'rpc.v1.router.app_conversation',
    conversationAppUsers: 'rpc.v1.router.conversation_app_users',
    /** The card vault (apps/vault): reveal for the console only, card_of for router and console. */
    vaultReveal: 'rpc.v1.vault.reveal',
    vaultCardOf: 'rpc.v1.vault.card_of',
    /** Router → vault: a customer's erasure forgets her card references (and orphaned cards). */
    vaultEraseCards: 'rpc.v1.vault.erase_cards',
  },
} as const;

const CHANNEL_PLANES = ['msg.in.v1.', 'msg.out.v1.', 'msg.status.v1.'] as const;

/** An inbound subject may end in its partition token (`msg.in.v1.sms.p07`). */
const PARTITION_SUFFIX = /\.p\d{2}$/;

/**
 * The channel a subject of the message planes names (`msg.in.v1.sms` or `msg.in.v1.sms.p07` →
 * sms), or null. The subject is what the NATS server let this publisher use (its user's
 * permissions), so it is the channel a consumer believes, never a field of the payload. Pure.
 */
export function channelOfSubject(subject: string): Channel | null {
  const plane = CHANNEL_PLANES.find((p) => subject.startsWith(p));
  if (!plane) return null;
  let rest = subject.slice(plane.length);
  if (plane === 'msg.in.v1.') rest = rest.replace(PARTITION_SUFFIX, '');
  const parsed = ChannelSchema.safeParse(rest);
  return parsed.success ? parsed.data : null;
}

const SAFE_TOKEN = /^[a-z0-9_-]{1,64}$/;

/** A subject-safe token for an arbitrary id: kept as is when safe, hashed otherwise. */
export function subjectToken(value: string): string {
  if (SAFE_TOKEN.test(value)) return value;
  return 'h' + createHash('sha256').update(value).digest('hex').slice(0, 32);
}
