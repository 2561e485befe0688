import { integer, jsonb, text, timestamp } from 'drizzle-orm/pg-core';
import type { BuildColumns } from 'drizzle-orm';
import type { PgTableWithColumns } from 'drizzle-orm/pg-core';

/**
 * The columns of a hash-chained, append-only audit table: the console's and router's `audit_log`
 * and the vault's `vault_audit` are both built from these, so one chain code (audit-chain.ts)
 * appends to and verifies either.
 */
export const auditChainColumns = () => ({
  seq: integer('seq').primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  detail: jsonb('detail').$type<Record<string, string | number | boolean>>().notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** Any table made of `auditChainColumns()`, whatever its name. */
export type AuditChainTable = PgTableWithColumns<{
  name: string;
  schema: undefined;
  columns: BuildColumns<string, ReturnType<typeof auditChainColumns>, 'pg'>;
  dialect: 'pg';
}>;
