import { z } from 'zod';
import { CardRefSchema } from '../messages/sealed-card.v1';

/**
 * Requests to the card vault (apps/vault). Only the vault can open a sealed card; these are the
 * only ways to learn anything about one. Permissions (tools/nats-permissions.ts): only the
 * console may ask for a reveal; router and console may ask for a card's token.
 */

/** The vault's stable token of a card: an HMAC of the number with a key only the vault holds. */
export const VaultTokenSchema = z.string().regex(/^vtk_[a-p]{32}$/, 'not a vault card token');

const CardSummary = {
  brand: z.string().min(1).max(32),
  last4: z.string().regex(/^\d{4}$/),
};

/**
 * Console → vault: the number behind a reference, for an agent of an allowed role (supervisor,
 * admin). `role` is the console's word for the agent's role; the vault checks it again (an agent
 * is refused with VAULT.ROLE_FORBIDDEN even if the console let the call through) and audits every
 * call with actor, role, reason and outcome.
 */
export const VaultRevealRequestV1Schema = z.object({
  ref: CardRefSchema,
  /** The agent asking (their console id). */
  actor: z.string().min(1).max(128),
  /** Any role string is accepted on the wire so that a refused one is audited, not just dropped. */
  role: z.string().regex(/^[a-z_]{1,32}$/),
  reason: z.string().trim().min(5).max(200),
});
export type VaultRevealRequestV1 = z.infer<typeof VaultRevealRequestV1Schema>;

export const VaultRevealResponseV1Schema = z.object({
  pan: z.string().regex(/^\d{13,19}$/),
  ...CardSummary,
});
export type VaultRevealResponseV1 = z.infer<typeof VaultRevealResponseV1Schema>;

/** Router or console → vault: which card a reference names, without the number. */
export const VaultCardOfRequestV1Schema = z.object({ ref: CardRefSchema });
export type VaultCardOfRequestV1 = z.infer<typeof VaultCardOfRequestV1Schema>;

export const VaultCardOfResponseV1Schema = z.object({
  /** The same for every reference of the same card number. */
  token: VaultTokenSchema,
  ...CardSummary,
});
export type VaultCardOfResponseV1 = z.infer<typeof VaultCardOfResponseV1Schema>;

/**
 * Router → vault: a customer's erasure reaches the vault. The references her messages carried are
 * forgotten, and every card no other reference names any more is deleted with its sealed number.
 * Idempotent: an unknown reference counts nothing. Audited in vault_audit (ids only).
 */
export const VaultEraseCardsRequestV1Schema = z.object({
  refs: z.array(CardRefSchema).max(1000),
  /** Who asked for the erasure (the DPO's console id). */
  actor: z.string().min(1).max(128),
  reason: z.string().trim().min(5).max(200),
});
export type VaultEraseCardsRequestV1 = z.infer<typeof VaultEraseCardsRequestV1Schema>;

export const VaultEraseCardsResponseV1Schema = z.object({
  refsErased: z.number().int().nonnegative(),
  cardsErased: z.number().int().nonnegative(),
});
export type VaultEraseCardsResponseV1 = z.infer<typeof VaultEraseCardsResponseV1Schema>;

/** The roles the vault reveals a number to. */
export const VAULT_REVEAL_ROLES = ['supervisor', 'admin'] as const;
