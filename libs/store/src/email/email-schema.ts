import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * Attachment bytes of inbound email, kept in the database (not on the bus, not in a bucket): one
 * place for encryption at rest, erasure and export. The bus carries `att:<id>` references only.
 */
export const emailAttachments = pgTable('email_attachments', {
  id: uuid('id').primaryKey(),
  /** AES-256-GCM with the attachment's own data key when `sealed` (encryption at rest on). */
  content: bytea('content').notNull(),
  sealed: boolean('sealed').notNull().default(false),
  /** Whose data key seals it when not its own: the original text of a mail uses `mail:<Message-ID>`. */
  keyOwner: text('key_owner'),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  filename: text('filename'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/**
 * Every email Message-ID we sent or received, for threading: an inbound reply's In-Reply-To or
 * References finds the conversation of our outbound mail; our reply threads under the customer's
 * last mail. Bounces find the outbound message they report on.
 */
export const emailMessages = pgTable(
  'email_messages',
  {
    /** The RFC 5322 Message-ID with its angle brackets, e.g. `<uuid@our-domain>`. */
    messageId: text('message_id').primaryKey(),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    /** Known for outbound mail; for inbound, the thread it matched (null if none). */
    conversationId: uuid('conversation_id'),
    /** Our outbound message id (the router's), for delivery statuses of bounces. */
    ourMessageId: uuid('our_message_id'),
    /**
     * The customer's address (lower case): sender of inbound, recipient of outbound. Its blind
     * index when encryption at rest is on (only ever compared, never read back).
     */
    address: text('address').notNull(),
    /** PAN-redacted; sealed with this row's own data key (`mail:<messageId>`) when on. */
    subject: text('subject').notNull().default(''),
    references: jsonb('references').$type<string[]>().notNull().default([]),
    /** Outbound: queued, sent, failed. Inbound: received. */
    state: text('state').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('email_messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('email_messages_address_idx').on(t.address, t.createdAt),
    index('email_messages_our_message_idx').on(t.ourMessageId),
  ],
);
