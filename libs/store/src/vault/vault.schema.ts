import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { auditChainColumns } from '../repositories/audit-chain.schema';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * The vault's tables: only the vault app reads or writes them (its own module, VaultStoreModule).
 * A card is stored once, under the vault's stable token (an HMAC of the number with a key only the
 * vault holds); the number itself only sealed (HPKE) to the vault's own current key, bound to the
 * token, so a copied row opens nowhere else and `vault:rotate` can move it to a new key.
 */
export const vaultCards = pgTable(
  'vault_cards',
  {
    token: text('token').primaryKey(),
    /** Which of the vault's keys the number is sealed to (VAULT_PRIVATE_KEYS). */
    keyId: text('key_id').notNull(),
    /** The sealed box: HPKE encapsulated key and ciphertext, base64url. */
    panEnc: text('pan_enc').notNull(),
    panCt: text('pan_ct').notNull(),
    brand: text('brand').notNull(),
    last4: text('last4').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    resealedAt: ts('resealed_at'),
  },
  (t) => [index('vault_cards_key_idx').on(t.keyId)],
);

/**
 * Every reference a gateway made for a card, mapped to the card's token. `channel` is the channel
 * of the SUBJECT the sealed card came on (what the publisher's NATS user could prove), never a
 * payload field.
 */
export const vaultRefs = pgTable(
  'vault_refs',
  {
    ref: text('ref').primaryKey(),
    token: text('token')
      .notNull()
      .references(() => vaultCards.token),
    channel: text('channel').notNull(),
    firstSeen: ts('first_seen').notNull().defaultNow(),
  },
  (t) => [index('vault_refs_token_idx').on(t.token)],
);

/**
 * The vault's own audit trail (every reveal, allowed or refused, found or not): append-only in
 * the database (a trigger, migration 0004) and hash-chained like audit_log, with the same code.
 */
export const vaultAudit = pgTable('vault_audit', auditChainColumns(), (t) => [
  index('vault_audit_subject_idx').on(t.subject, t.seq),
  index('vault_audit_actor_idx').on(t.actor, t.seq),
]);

export const vaultSchema = { vaultCards, vaultRefs, vaultAudit };
