import { sql } from 'drizzle-orm';
import { emailAttachments } from './email/email-schema';
import { auditChainColumns } from './repositories/audit-chain.schema';
import { CARD_SCHEMES, DISPUTE_TYPES, JURISDICTIONS, TICKET_KINDS } from '@omnigate/contracts';
import {
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** A bank customer (known to core banking) or an unverified contact (an address nobody proved). */
export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['customer', 'contact'] }).notNull(),
    /** The core-banking customer id; null for an unverified contact. */
    coreRef: text('core_ref'),
    displayName: text('display_name'),
    /** Records the bank must keep (AML, an open fraud case): erasure is refused until then. */
    legalHoldUntil: ts('legal_hold_until'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('customers_core_ref_uq').on(t.coreRef)],
);

/** A channel address and who it belongs to. Links are made on proof only, never merged on a claim. */
export const channelIdentities = pgTable(
  'channel_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    /** Sealed with the customer's data key when encryption at rest is on. */
    address: text('address').notNull(),
    /** What lookups match: a keyed blind index of (channel, address), or the address when off. */
    addressIndex: text('address_index').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    status: text('status', { enum: ['linked', 'unverified', 'revoked'] }).notNull(),
    /** How the link was proven: bank_verified_phone, app_jwt, ... ; 'none' for a contact. */
    linkMethod: text('link_method').notNull(),
    assurance: text('assurance').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    uniqueIndex('channel_identities_active_uq')
      .on(t.channel, t.addressIndex)
      .where(sql`status <> 'revoked'`),
    index('channel_identities_customer_idx').on(t.customerId),
  ],
);

/** One open conversation per customer, across every channel. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    lastChannel: text('last_channel').notNull(),
    /** The customer's address on lastChannel: where a reply goes by default. */
    lastAddress: text('last_address').notNull(),
    /** Our address the customer wrote to on lastChannel (our number, bot, mailbox). */
    lastOurAddress: text('last_our_address'),
    channels: jsonb('channels').$type<string[]>().notNull().default([]),
    /** Last seq handed out: messages are numbered 1, 2, 3... within the conversation. */
    lastSeq: integer('last_seq').notNull().default(0),
    lastMessageAt: ts('last_message_at').notNull().defaultNow(),
    lastMessagePreview: text('last_message_preview').notNull().default(''),
    /** Routing (issue 5): the skill queue, 1 = top priority … 4 = low, who answers now. */
    queue: text('queue', { enum: ['fraud', 'onboarding', 'disputes', 'general'] })
      .notNull()
      .default('general'),
    priority: integer('priority').notNull().default(3),
    /** Exactly one of bot or agent answers: bot_active → pending (handoff) → agent_active → released. */
    control: text('control', { enum: ['bot_active', 'pending', 'agent_active', 'released'] })
      .notNull()
      .default('bot_active'),
    assignedAgent: text('assigned_agent'),
    /** The last intent the classifier saw (fraud, card_blocked, …); null before the first message. */
    intent: text('intent'),
    createdAt: ts('created_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    uniqueIndex('conversations_one_open_uq')
      .on(t.customerId)
      .where(sql`status = 'open'`),
    index('conversations_last_message_idx').on(t.lastMessageAt),
  ],
);

export interface StoredAttachment {
  kind: 'image' | 'audio' | 'video' | 'document' | 'other';
  mimeType: string;
  size: number;
  sha256: string | null;
  ref: string;
  filename?: string;
}

/** Every message in and out. `body` is PAN-redacted before it gets here. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** Whose data key seals body and address (the conversation's customer). */
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    seq: integer('seq').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    channel: text('channel').notNull(),
    kind: text('kind', { enum: ['text', 'optout', 'optin', 'help', 'system'] }).notNull(),
    body: text('body').notNull(),
    attachments: jsonb('attachments').$type<StoredAttachment[]>().notNull().default([]),
    authorKind: text('author_kind', { enum: ['customer', 'agent', 'bot', 'system'] }).notNull(),
    authorId: text('author_id'),
    /** The customer's address on the channel (sender of inbound, recipient of outbound). */
    address: text('address').notNull(),
    providerMessageId: text('provider_message_id'),
    /** Idempotency: `<channel>:<providerMessageId>` inbound, `reply:<key>` for an agent's reply. */
    dedupeKey: text('dedupe_key'),
    clientMsgId: text('client_msg_id'),
    /** Warnings for the agent about an inbound message (e.g. email_dmarc_fail: the sender is unproven). */
    flags: jsonb('flags').$type<string[]>(),
    status: text('status', { enum: ['queued', 'sent', 'delivered', 'read', 'failed'] }),
    statusError: jsonb('status_error').$type<{ code: string; reason: string }>(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_uq').on(t.conversationId, t.seq),
    uniqueIndex('messages_dedupe_uq').on(t.dedupeKey),
    index('messages_provider_idx').on(t.channel, t.providerMessageId),
    index('messages_customer_idx').on(t.customerId),
  ],
);

/** Every delivery state a message went through, for the timeline. */
export const messageStatusEvents = pgTable(
  'message_status_events',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id),
    state: text('state').notNull(),
    errorCode: text('error_code'),
    errorReason: text('error_reason'),
    occurredAt: ts('occurred_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.state] })],
);

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    subject: text('subject').notNull(),
    status: text('status', { enum: ['open', 'pending', 'closed'] }).notNull(),
    priority: integer('priority').notNull().default(3),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** Regulatory clocks (issue 15): complaint and card_dispute run one, other does not. */
    kind: text('kind', { enum: TICKET_KINDS }).notNull().default('other'),
    disputeType: text('dispute_type', { enum: DISPUTE_TYPES }),
    /** Whose rules, holidays and time zone the clock follows (ISO country code). */
    jurisdiction: text('jurisdiction', { enum: JURISDICTIONS }).notNull().default('IT'),
    /** The deadline now in force (extended by a holding reply); null: no clock. */
    dueAt: ts('due_at'),
    holdingReplyAt: ts('holding_reply_at'),
    /** When the bank answered (resolved): the clock stops. */
    resolvedAt: ts('resolved_at'),
    /** Set once, by whoever sees the breach first: the breach counter moves exactly once. */
    breachedAt: ts('breached_at'),
    /**
     * A card dispute's scheme clock (Visa / Mastercard time limit to raise it with the scheme),
     * counted in calendar days from the transaction's processing date; null: no scheme given.
     */
    cardScheme: text('card_scheme', { enum: CARD_SCHEMES }),
    schemeReason: text('scheme_reason'),
    transactionProcessedOn: date('transaction_processed_on', { mode: 'string' }),
    /** Goods or services received or expected, or the credit receipt's date (some reasons). */
    deliveryOn: date('delivery_on', { mode: 'string' }),
    schemeDueAt: ts('scheme_due_at'),
    /** When the dispute was raised with the scheme: the scheme clock stops. */
    schemeRaisedAt: ts('scheme_raised_at'),
    /** Set once, like breached_at, for the scheme clock's breach. */
    schemeBreachedAt: ts('scheme_breached_at'),
  },
  (t) => [
    index('tickets_customer_idx').on(t.customerId),
    index('tickets_open_due_idx').on(t.status, t.dueAt),
  ],
);

/**
 * Data keys (AES-256), one per customer and one per stored email attachment, stored only wrapped by a
 * key-encryption key. Erasure sets `wrapped` to null: crypto-shredding.
 */
export const dataKeys = pgTable('data_keys', {
  owner: text('owner').primaryKey(),
  kekId: text('kek_id'),
  wrapped: text('wrapped'),
  createdAt: ts('created_at').notNull().defaultNow(),
  destroyedAt: ts('destroyed_at'),
});

/**
 * Append-only audit log, hash-chained: each entry's hash covers the previous one and every field,
 * so a changed or removed entry breaks the chain (`verify`). A trigger (migration 0003) refuses
 * UPDATE, DELETE and TRUNCATE. Ids and codes only, never personal data. The indexes serve the
 * admin search (newest first by seq, filtered by actor, action, subject or the customer).
 */
export const auditLog = pgTable('audit_log', auditChainColumns(), (t) => [
  index('audit_log_actor_idx').on(t.actor, t.seq),
  index('audit_log_action_idx').on(t.action, t.seq),
  index('audit_log_subject_idx').on(t.subject, t.seq),
  index('audit_log_customer_idx').on(sql`(${t.detail} ->> 'customerId')`, t.seq),
  index('audit_log_at_idx').on(t.at),
]);

export * from './email/email-schema';

export const schema = {
  customers,
  channelIdentities,
  conversations,
  messages,
  messageStatusEvents,
  tickets,
  dataKeys,
  auditLog,
  emailAttachments,
};

// Consent and retention tables (issue 7) live in their own file; drizzle-kit reads them through this export.
export * from './compliance.schema';
// Identity proofs, fraud alerts, approvals, agents and facts (issue 5).
export * from './context.schema';
// Console sessions, login lockouts and TOTP secrets (issue 13).
export * from './console/console-auth.schema';
// The journey projection (issue 15): written by the router from the conversation events.
export * from './journeys/journeys.schema';
