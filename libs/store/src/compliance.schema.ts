import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { conversations, customers } from './schema';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Consent per customer, channel and purpose (service, fraud_alert, marketing). No row means the
 * default applies (see DEFAULT_CONSENT in libs/contracts). Fed by STOP/START keywords, the app and
 * agents; checked by the router before every outbound message.
 */
export const consents = pgTable(
  'consents',
  {
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    channel: text('channel').notNull(),
    purpose: text('purpose', { enum: ['service', 'fraud_alert', 'marketing'] }).notNull(),
    granted: boolean('granted').notNull(),
    source: text('source', { enum: ['keyword', 'app', 'agent', 'default'] }).notNull(),
    /** Who decided: the agent's id, the keyword's message id; null for the app. Never personal data. */
    updatedBy: text('updated_by'),
    /** When the decision was made (a keyword: when the customer sent it); older decisions never win. */
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.channel, t.purpose] })],
);

/**
 * Legal holds (AML, litigation, an open fraud case): while a hold is active (`released_at` null) the
 * retention purge keeps everything of its customer or conversation.
 */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    customerId: uuid('customer_id').references(() => customers.id),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    /** A code, e.g. AML, FRAUD_CASE, LITIGATION; never free text about the customer. */
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    releasedAt: ts('released_at'),
  },
  (t) => [
    index('legal_holds_customer_idx').on(t.customerId),
    index('legal_holds_conversation_idx').on(t.conversationId),
  ],
);
