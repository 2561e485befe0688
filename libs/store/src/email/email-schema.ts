import { boolean, customType, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
  /** Whose data key seals it when not its own (`mail:<Message-ID>`, rows stored before migration 0005). */
  keyOwner: text('key_owner'),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  filename: text('filename'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
