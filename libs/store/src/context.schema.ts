import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { conversations, customers } from './schema';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One-time proofs of who owns a channel address. `link`: a code the authenticated app shows, sent
 * by the customer from the channel. `otp`: a code sent to an address the bank already verified,
 * typed back on the channel being linked (`address_index` = that channel address's blind index).
 * Only a hash of the code is stored.
 */
export const identityProofs = pgTable(
  'identity_proofs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['link', 'otp'] }).notNull(),
    codeHash: text('code_hash').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    /** For an OTP: the channel and address it may link; null for an app link code (any channel). */
    channel: text('channel'),
    addressIndex: text('address_index'),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('identity_proofs_code_idx').on(t.codeHash),
    index('identity_proofs_customer_idx').on(t.customerId),
  ],
);

/**
 * Fraud signals from core banking (card blocked by the fraud engine, SIM swap, new device), kept
 * so a message within the correlation window can be linked to one. `core_event_id` makes the
 * consumer idempotent.
 */
export const fraudAlerts = pgTable(
  'fraud_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    coreEventId: text('core_event_id').notNull().unique(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    kind: text('kind', { enum: ['card_blocked_by_fraud', 'sim_swap', 'new_device'] }).notNull(),
    cardId: text('card_id'),
    transactionId: text('transaction_id'),
    occurredAt: ts('occurred_at').notNull(),
    /** The conversation a customer message was linked to this alert in, once one was. */
    conversationId: uuid('conversation_id').references(() => conversations.id),
    status: text('status', { enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('fraud_alerts_customer_idx').on(t.customerId, t.occurredAt)],
);

/**
 * Guarded actions waiting for a second person or the customer: a supervisor's approval of an
 * agent's unblock of a fraud-blocked card (`approver` must differ from `requested_by`), or a
 * step-up request pushed to the customer's app.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['unblock_card', 'step_up'] }).notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    /** What the approval is for: a card id, the assurance level asked for. Never personal data. */
    target: text('target').notNull(),
    requestedBy: text('requested_by').notNull(),
    status: text('status', {
      enum: ['pending', 'approved', 'rejected', 'executed', 'expired'],
    }).notNull(),
    decidedBy: text('decided_by'),
    reason: text('reason'),
    /**
     * A step-up bound to one action (dynamic linking): the action it authorises once
     * ('unblock_card', `target` then the card id); null for a step-up that authorises nothing
     * but tells the agent the customer confirmed (the bot's).
     */
    action: text('action'),
    /** The channel the request came through (the conversation's last channel), shown in the push. */
    requesterChannel: text('requester_channel'),
    /** Keyed hash of the one-time nonce sent only to the app; an approval must echo the nonce. */
    nonceHash: text('nonce_hash'),
    expiresAt: ts('expires_at').notNull(),
    decidedAt: ts('decided_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('approvals_conversation_idx').on(t.conversationId, t.status)],
);

/** Agents as the router assigns to them: skills (queues), whether available, how many at once. */
export const agents = pgTable('agents', {
  id: text('id').primaryKey(),
  skills: jsonb('skills').$type<string[]>().notNull().default([]),
  available: integer('available').notNull().default(0),
  maxConcurrent: integer('max_concurrent').notNull().default(5),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/**
 * What the customer already told us in a conversation (a card's last four digits, an amount, a
 * date, a merchant), so neither bot nor agent asks again. `value` is sealed with the customer's
 * data key.
 */
export const conversationFacts = pgTable(
  'conversation_facts',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    key: text('key').notNull(),
    value: text('value').notNull(),
    sourceMessageId: uuid('source_message_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.key] })],
);
