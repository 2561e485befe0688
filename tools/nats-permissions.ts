/**
 * Who may do what on the bus: one NATS user per service, derived from the contracts' subjects and
 * the JetStream API calls libs/bus makes. `tools/nats-config.ts` renders it into
 * deploy/nats/nats-users.conf; a test (tools/nats-config.spec.ts) keeps the committed file equal to
 * this table, and libs/bus/test/nats-least-privilege.int-spec.ts runs a real server with it.
 */
import {
  ALL_INBOUND_PARTITIONS,
  REDRIVABLE_STREAMS,
  SealedObjectBuckets,
  Subjects,
} from '@omnigate/contracts';
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
 * One durable pull consumer (an @OnStream handler): created/updated only
 * with its own filter (the server checks the filter in the subject against the request), pulled,
 * acked, dead-lettered.
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

/**
 * The router's inbound partitions (libs/bus partitioned-consumer.ts): a durable per partition
 * named after its lease epoch, so any name, but created only with a partition's filter on MSG_IN
 * (or the unpartitioned subjects); looked up and deleted on a takeover; leases in a KV bucket,
 * watched (an ordered consumer on its stream). Dead letters keep the name `router-inbound`.
 */
function inboundPartitions(): string[] {
  const stream = Streams.MSG_IN.name;
  const durable = 'router-inbound';
  return [
    ...ALL_INBOUND_PARTITIONS.map(
      (p) => `${API}.CONSUMER.CREATE.${stream}.*.${Subjects.inboundPartition(p)}`,
    ),
    `${API}.CONSUMER.CREATE.${stream}.${durable}.${Subjects.inboundUnpartitioned}`,
    `${API}.CONSUMER.INFO.${stream}.*`,
    `${API}.CONSUMER.DELETE.${stream}.*`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.ACK.${stream}.>`,
    Subjects.deadLetter(stream, durable),
    ...kvBucket('router_leases'),
    `${API}.CONSUMER.CREATE.KV_router_leases`,
    `${API}.CONSUMER.CREATE.KV_router_leases.>`,
    `${API}.CONSUMER.DELETE.KV_router_leases.>`,
  ];
}

/** The stream behind a KV or object bucket: made if missing, kept, single messages read. */
function backingStream(stream: string): string[] {
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.STREAM.CREATE.${stream}`,
    `${API}.STREAM.UPDATE.${stream}`,
    `${API}.STREAM.MSG.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}`,
    `${API}.DIRECT.GET.${stream}.>`,
  ];
}

/** A KV bucket (KvStore.bucket): its backing stream, reads and writes of its keys. */
function kvBucket(bucket: string): string[] {
  return [...backingStream(`KV_${bucket}`), `$KV.${bucket}.>`];
}

/**
 * Putting whole objects into an object store bucket (ObjectStoreClient): its backing stream, the
 * meta lookup and purge of a replaced object, the chunk and meta subjects. No consumer: the
 * chunks are not streamed back (and they are sealed to another service anyway).
 */
function objectPut(bucket: string): string[] {
  const stream = `OBJ_${bucket}`;
  return [...backingStream(stream), `${API}.STREAM.PURGE.${stream}`, `$O.${bucket}.>`];
}

/** Reading objects back too: an ordered consumer on the chunks of one object at a time. */
function objectBucket(bucket: string): string[] {
  const stream = `OBJ_${bucket}`;
  return [
    ...objectPut(bucket),
    // The client looks the chunk subject's stream up by name before it subscribes.
    `${API}.STREAM.NAMES`,
    `${API}.CONSUMER.CREATE.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}.>`,
    `${API}.CONSUMER.DELETE.${stream}.>`,
  ];
}

/**
 * A customer's erasure (apps/router privacy, libs/bus StreamSweeper): each swept stream read
 * message by message (no consumer: the router still may create none on CARDS), the messages that
 * carry her erased in place, and CONV_EVENTS purged by her conversations' subjects. The router
 * owns these streams already (it may change their limits): this adds no power it lacked.
 */
function eraseFromStreams(): string[] {
  const swept = [
    Streams.MSG_IN,
    Streams.MSG_OUT,
    Streams.MSG_STATUS,
    Streams.CARDS,
    Streams.CONSENT_EVENTS,
    Streams.DLQ,
  ];
  return [
    ...swept.flatMap((s) => [
      `${API}.STREAM.MSG.GET.${s.name}`,
      `${API}.STREAM.MSG.DELETE.${s.name}`,
    ]),
    `${API}.STREAM.PURGE.${Streams.CONV_EVENTS.name}`,
    // Her number as a key of the WhatsApp gateway's 24-hour window (bus-footprint.mapper.ts).
    `${API}.STREAM.PURGE.KV_whatsapp_window`,
  ];
}

/**
 * Putting dead letters back (libs/bus DeadLetterRedriver): read an entry of the DLQ, read its
 * ORIGINAL from its stream, publish that again on its own subject, delete the entry. Only for the
 * streams of REDRIVABLE_STREAMS (libs/contracts), never CARDS: a sealed card for the vault is the
 * gateways' alone to publish.
 *
 * Why the router may: every one of those subjects is already the router's. It is THE reader of
 * msg.in and msg.status, the service that believes what a subject claims (an app login only from
 * msg.in.v1.inapp): forging one to itself gains it nothing it does not hold already, customer
 * data included; outbound, conversation, core and consent events it publishes already. What it
 * republishes is the stored original (bytes, headers, subject), never an entry's copy. The
 * console, which believes nothing from msg.in, gets none of this: it asks the router
 * (rpc.v1.router.redrive_dead_letters) and keeps reading the DLQ only.
 */
function redriveDeadLetters(): string[] {
  const dlq = Streams.DLQ.name;
  const redrivable = REDRIVABLE_STREAMS.map((name) => Streams[name]);
  return [
    `${API}.STREAM.MSG.GET.${dlq}`,
    `${API}.STREAM.MSG.DELETE.${dlq}`,
    ...redrivable.map((s) => `${API}.STREAM.MSG.GET.${s.name}`),
    ...redrivable.flatMap((s) => s.subjects),
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
      // Its own channel only, unpartitioned (older builds) or on any partition of it.
      Subjects.inbound(channel),
      `${Subjects.inbound(channel)}.*`,
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
      ...edgeKit('inapp'),
      Subjects.inappPushAll,
      Subjects.typingAll,
      Subjects.rpc.issueLinkCode,
      Subjects.rpc.decideStepUp,
      Subjects.rpc.getAppConsents,
      Subjects.rpc.setAppConsent,
      // History (resume), receipts and typing: the gateway has no database, the router answers.
      Subjects.rpc.appHistory,
      Subjects.rpc.appReceipts,
      Subjects.rpc.appConversation,
      Subjects.rpc.conversationAppUsers,
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
  // The IMAP poller keeps its cursor and the threading its Message-IDs in KV buckets
  // (apps/gateway-email imap-poller.service.ts, email-threads.store.ts); attachments and
  // unreadable mail go sealed to the router into object store buckets, the latter named by its
  // own dead-letter subject (sealed-objects.service.ts, email-quarantine.service.ts).
  gateway('email', {
    publish: [
      ...edgeKit('email'),
      ...kvBucket('EMAIL_IMAP_CURSOR'),
      ...kvBucket('email_threads'),
      ...objectPut(SealedObjectBuckets.emailAttachments),
      ...objectPut(SealedObjectBuckets.emailQuarantine),
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
      // The journey projection reads the conversation events it publishes (apps/router journeys).
      ...durablePull(Streams.CONV_EVENTS.name, 'router-journeys', Subjects.conversationEventAll),
      ...inboundPartitions(),
      ...durablePull(Streams.MSG_STATUS.name, 'router-status', Subjects.statusAll),
      // The bank's signed core events (POST /core-banking/events) go onto CORE_EVENTS, and the
      // router consumes them (fraud correlation, identity trust).
      Subjects.coreEventAll,
      ...durablePull(Streams.CORE_EVENTS.name, 'router-core-events', Subjects.coreEventAll),
      // Consent decisions, for the gateways' own opt-out lists (apps/router consent-events.service.ts).
      Subjects.consentChangedAll,
      ...kvBucket('sessions'),
      // Takes sealed email attachments in, then deletes them (intake/email-intake.service.ts).
      ...objectBucket(SealedObjectBuckets.emailAttachments),
      // Whether two card references are the same card (never the number).
      Subjects.rpc.vaultCardOf,
      // A customer's erasure: her card references in the vault, her messages on the streams.
      Subjects.rpc.vaultEraseCards,
      ...eraseFromStreams(),
      // The console's redrive, carried out here (apps/router operations).
      ...redriveDeadLetters(),
      // An operator's rebuild of the journey projection reads CONV_EVENTS by sequence.
      `${API}.STREAM.MSG.GET.${Streams.CONV_EVENTS.name}`,
      // Instance to instance: forget cached identities of customers whose links changed.
      Subjects.identityChanged,
    ],
    subscribe: [
      ownInbox('router'),
      Subjects.identityChanged,
      // Leader elections on MSG_IN: the first sign that a replica may be catching up, when the
      // inbound partitions check each delivery for gaps (libs/bus stream-suspicion.ts).
      `$JS.EVENT.ADVISORY.STREAM.LEADER_ELECTED.${Streams.MSG_IN.name}`,
      `$JS.EVENT.ADVISORY.CONSUMER.LEADER_ELECTED.${Streams.MSG_IN.name}.>`,
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
      Subjects.rpc.appHistory,
      Subjects.rpc.appReceipts,
      Subjects.rpc.appConversation,
      Subjects.rpc.conversationAppUsers,
      Subjects.rpc.getCustomerConsents,
      Subjects.rpc.setCustomerConsents,
      Subjects.rpc.exportCustomer,
      Subjects.rpc.eraseCustomer,
      Subjects.rpc.redriveDeadLetters,
      Subjects.rpc.rebuildJourneys,
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
      // A customer's consents, an agent's change, a DPO's export and erasure: the router owns
      // those tables, writes them and tells the gateways (the console publishes no consent event).
      Subjects.rpc.getCustomerConsents,
      Subjects.rpc.setCustomerConsents,
      Subjects.rpc.exportCustomer,
      Subjects.rpc.eraseCustomer,
      // Dead letters: the router redrives them (the console may neither publish on msg.in nor
      // delete a DLQ entry).
      Subjects.rpc.redriveDeadLetters,
      // Card numbers: only the console may ask the vault to reveal one (audited there too).
      Subjects.rpc.vaultReveal,
      Subjects.rpc.vaultCardOf,
      // The dead-letter view reads the DLQ stream (DeadLetterReader), nothing else.
      `${API}.STREAM.MSG.GET.${Streams.DLQ.name}`,
    ],
    subscribe: [ownInbox('console'), Subjects.conversationEventAll, Subjects.typingAll],
  },
  {
    // The card vault: the only reader of the sealed cards (its durable on CARDS) and the only
    // server of rpc.v1.vault.*; it publishes nothing else.
    user: 'vault',
    passwordEnv: 'NATS_PASS_VAULT',
    publish: [
      ...lookUpStreams(),
      ...durablePull(Streams.CARDS.name, 'vault-cards', Subjects.sealedCardAll),
    ],
    subscribe: [
      ownInbox('vault'),
      Subjects.rpc.vaultReveal,
      Subjects.rpc.vaultCardOf,
      Subjects.rpc.vaultEraseCards,
    ],
    allowResponses: true,
  },
  {
    // A person, not a service: `npm run dlq:redrive` (tools/dlq-redrive.command.ts) lists the
    // DLQ and redrives what the router may redrive, when the console is not at hand; `npm run
    // journeys:rebuild` asks the router to rebuild the journey projection. Its password
    // belongs in the secret store beside the break-glass credentials; no app runs as operator.
    user: 'operator',
    passwordEnv: 'NATS_PASS_OPERATOR',
    publish: [
      ...lookUpStreams(),
      ...redriveDeadLetters(),
      // `npm run journeys:rebuild`: the router replays CONV_EVENTS into the journey projection.
      Subjects.rpc.rebuildJourneys,
    ],
    subscribe: [ownInbox('operator')],
  },
];
