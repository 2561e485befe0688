/**
 * Who may do what on the bus: one NATS user per service, derived from the contracts' subjects and
 * the JetStream API calls libs/bus makes. `tools/nats-config.ts` renders it into
 * deploy/nats/nats-users.conf; a test (tools/nats-config.spec.ts) keeps the committed file equal to
 * this table, and libs/bus/test/nats-least-privilege.int-spec.ts runs a real server with it.
 */
import { Subjects } from '@omnigate/contracts';
import type { Channel } from '@omnigate/contracts';
import { Streams } from '@omnigate/bus';

export interface ServicePermissions {
  user: string;
  /** Environment variable the server reads the password from (never committed). */
  passwordEnv: string;
  publish: string[];
  subscribe: string[];
  /** May answer requests it received (the router's RPC), on the requester's reply subject only. */
  allowResponses?: boolean;
}

const API = '$JS.API';
const ALL_STREAM_NAMES = Object.values(Streams).map((s) => s.name);

/** Every service checks at start that the standard streams exist (ensureStreams). */
function lookUpStreams(): string[] {
  return [`${API}.INFO`, ...ALL_STREAM_NAMES.map((s) => `${API}.STREAM.INFO.${s}`)];
}

/** The owner creates the streams and keeps their limits (only the router). */
function ownStreams(): string[] {
  return ALL_STREAM_NAMES.flatMap((s) => [
    `${API}.STREAM.CREATE.${s}`,
    `${API}.STREAM.UPDATE.${s}`,
  ]);
}

/**
 * One durable pull consumer (BusConsumers.start): created/updated only with its own filter (the
 * server checks the filter in the subject against the request), pulled, acked, dead-lettered.
 */
function durablePull(stream: string, durable: string, filter: string): string[] {
  return [
    `${API}.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
    `${API}.CONSUMER.INFO.${stream}.${durable}`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
    Subjects.deadLetter(stream, durable),
  ];
}

/** A KV bucket (KvStore.bucket): its backing stream, reads and writes of its keys. */
function kvBucket(bucket: string): string[] {
  const stream = `KV_${bucket}`;
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.STREAM.CREATE.${stream}`,
    `${API}.STREAM.UPDATE.${stream}`,
    `${API}.STREAM.MSG.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}.>`,
    `$KV.${bucket}.>`,
  ];
}

/** Replies (JetStream acks, pulled messages, RPC answers) come to the user's own inbox prefix. */
function ownInbox(user: string): string {
  return `_INBOX.${user}.>`;
}

/** A provider gateway: its own inbound and statuses in, its own outbound out, nothing else. */
function gateway(
  channel: Channel,
  extra: { publish?: string[]; subscribe?: string[] } = {},
): ServicePermissions {
  const user = `gateway-${channel}`;
  return {
    user,
    passwordEnv: `NATS_PASS_GATEWAY_${channel.toUpperCase()}`,
    publish: [
      ...lookUpStreams(),
      Subjects.inbound(channel),
      Subjects.sealedCard(channel),
      Subjects.status(channel),
      ...durablePull(Streams.MSG_OUT.name, `${user}-send`, Subjects.outbound(channel)),
      ...(extra.publish ?? []),
    ],
    subscribe: [ownInbox(user), ...(extra.subscribe ?? [])],
  };
}

/**
 * What libs/gateway-kit does for a gateway on it: its opt-out/blocked list and sent ledger in KV
 * (`<channel>_vetoes`, `<channel>_ledger`) and the router's consent events for its channel
 * (durable `gateway-<channel>-consent`).
 */
function edgeKit(channel: Channel): string[] {
  return [
    ...kvBucket(`${channel}_vetoes`),
    ...kvBucket(`${channel}_ledger`),
    ...durablePull(
      Streams.CONSENT_EVENTS.name,
      `gateway-${channel}-consent`,
      Subjects.consentChanged(channel),
    ),
  ];
}

export const SERVICE_PERMISSIONS: ServicePermissions[] = [
  gateway('sms', { publish: edgeKit('sms') }),
  gateway('inapp', {
    // The app's link-code, step-up and consent requests go to the router (POST /v1/link-codes,
    // /v1/approvals, GET/PUT /v1/consents).
    publish: [
      Subjects.inappPushAll,
      Subjects.typingAll,
      Subjects.rpc.issueLinkCode,
      Subjects.rpc.decideStepUp,
      Subjects.rpc.getAppConsents,
      Subjects.rpc.setAppConsent,
    ],
    subscribe: [Subjects.inappPushAll, Subjects.typingAll],
  }),
  // Polling mode keeps its getUpdates offset in a KV bucket (apps/gateway-telegram telegram-intake.service.ts).
  gateway('telegram', { publish: [...edgeKit('telegram'), ...kvBucket('telegram_offsets')] }),
  // The 24-hour window (last inbound per customer) and provider id → message id live in KV
  // buckets (apps/gateway-whatsapp service-window.store.ts, sent-messages.store.ts).
  gateway('whatsapp', {
    publish: [...edgeKit('whatsapp'), ...kvBucket('whatsapp_window'), ...kvBucket('whatsapp_sent')],
  }),
  // The IMAP poller keeps its cursor in a KV bucket (apps/gateway-email imap-poller.service.ts);
  // unreadable inbound mail is kept for an operator on its own dead-letter subject
  // (email-quarantine.service.ts).
  gateway('email', {
    publish: [
      ...kvBucket('EMAIL_IMAP_CURSOR'),
      Subjects.deadLetter('EMAIL_INBOUND', 'gateway-email'),
    ],
  }),
  {
    user: 'router',
    passwordEnv: 'NATS_PASS_ROUTER',
    publish: [
      ...lookUpStreams(),
      ...ownStreams(),
      Subjects.outboundAll,
      Subjects.conversationEventAll,
      ...durablePull(Streams.MSG_IN.name, 'router-inbound', Subjects.inboundAll),
      ...durablePull(Streams.MSG_STATUS.name, 'router-status', Subjects.statusAll),
      // The bank's signed core events (POST /core-banking/events) go onto CORE_EVENTS, and the
      // router consumes them (fraud correlation, identity trust).
      Subjects.coreEventAll,
      ...durablePull(Streams.CORE_EVENTS.name, 'router-core-events', Subjects.coreEventAll),
      // Consent decisions, for the gateways' own opt-out lists (apps/router consent-events.service.ts).
      Subjects.consentChangedAll,
      ...kvBucket('sessions'),
    ],
    subscribe: [
      ownInbox('router'),
      Subjects.rpc.issueLinkCode,
      Subjects.rpc.unlinkIdentity,
      Subjects.rpc.decideStepUp,
      Subjects.rpc.sendReply,
      Subjects.rpc.getContext,
      Subjects.rpc.setControl,
      Subjects.rpc.setAgentPresence,
      Subjects.rpc.listQueues,
      Subjects.rpc.cardAction,
      Subjects.rpc.ticketAction,
      Subjects.rpc.decideApproval,
      Subjects.rpc.listApprovals,
      Subjects.rpc.getAppConsents,
      Subjects.rpc.setAppConsent,
    ],
    allowResponses: true,
  },
  {
    user: 'console',
    passwordEnv: 'NATS_PASS_CONSOLE',
    publish: [
      ...lookUpStreams(),
      Subjects.typingAll,
      Subjects.rpc.sendReply,
      Subjects.rpc.getContext,
      Subjects.rpc.unlinkIdentity,
      Subjects.rpc.setControl,
      Subjects.rpc.setAgentPresence,
      Subjects.rpc.listQueues,
      Subjects.rpc.cardAction,
      Subjects.rpc.ticketAction,
      Subjects.rpc.decideApproval,
      Subjects.rpc.listApprovals,
      // An agent's consent change, for the gateways' own opt-out lists (consents.service.ts).
      Subjects.consentChangedAll,
      // The dead-letter view reads the DLQ stream (DeadLetterReader), nothing else.
      `${API}.STREAM.MSG.GET.${Streams.DLQ.name}`,
    ],
    subscribe: [ownInbox('console'), Subjects.conversationEventAll, Subjects.typingAll],
  },
];
