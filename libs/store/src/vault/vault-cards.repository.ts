import { Injectable } from '@nestjs/common';
import {
  TransactionRollbackError,
  and,
  asc,
  count,
  eq,
  gt,
  inArray,
  lt,
  ne,
  notExists,
} from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { vaultCards, vaultRefs } from './vault.schema';

export type VaultCardRow = typeof vaultCards.$inferSelect;

/** A card as the vault keeps it: the number only as a box sealed to one of the vault's keys. */
export interface VaultCardRecord {
  token: string;
  keyId: string;
  panEnc: string;
  panCt: string;
  brand: string;
  last4: string;
}

/** What happened to a reference: newly bound, already bound the same way, or bound otherwise. */
export type RefBinding = 'bound' | 'already_bound' | 'conflict';

export interface RefView {
  ref: string;
  channel: string;
  firstSeen: Date;
  card: VaultCardRow;
}

/**
 * vault_cards and vault_refs: one row per card (its stable token), one per reference a gateway
 * made for it. Every write is idempotent, so a redelivered sealed card changes nothing.
 */
@Injectable()
export class VaultCardsRepository {
  constructor(private readonly h: DbHandle) {}

  /**
   * Keeps the card (first box wins: the same number under the same token) and binds `ref` to its
   * token, in one transaction. A reference already bound to another card or seen on another
   * channel is a conflict and is left as it was.
   */
  async keep(card: VaultCardRecord, ref: string, channel: string): Promise<RefBinding> {
    try {
      return await this.h.db.transaction(async (tx) => {
        await tx.insert(vaultCards).values(card).onConflictDoNothing();
        const inserted = await tx
          .insert(vaultRefs)
          .values({ ref, token: card.token, channel })
          .onConflictDoNothing()
          .returning({ ref: vaultRefs.ref });
        if (inserted.length === 1) return 'bound';
        const [existing] = await tx.select().from(vaultRefs).where(eq(vaultRefs.ref, ref));
        if (existing?.token === card.token && existing.channel === channel) return 'already_bound';
        // Nothing of this attempt stays (not even a card row no reference points to).
        tx.rollback();
        return 'conflict';
      });
    } catch (e) {
      if (e instanceof TransactionRollbackError) return 'conflict';
      throw e;
    }
  }

  async byRef(ref: string): Promise<RefView | null> {
    const [row] = await this.h.db
      .select({ ref: vaultRefs, card: vaultCards })
      .from(vaultRefs)
      .innerJoin(vaultCards, eq(vaultCards.token, vaultRefs.token))
      .where(eq(vaultRefs.ref, ref));
    if (!row) return null;
    return {
      ref: row.ref.ref,
      channel: row.ref.channel,
      firstSeen: row.ref.firstSeen,
      card: row.card,
    };
  }

  async byToken(token: string): Promise<VaultCardRow | null> {
    const [row] = await this.h.db.select().from(vaultCards).where(eq(vaultCards.token, token));
    return row ?? null;
  }

  /** A page of cards still sealed to another key than `currentKeyId`, in token order. */
  async sealedToOtherKeys(
    currentKeyId: string,
    afterToken: string,
    limit: number,
  ): Promise<VaultCardRow[]> {
    return this.h.db
      .select()
      .from(vaultCards)
      .where(and(ne(vaultCards.keyId, currentKeyId), gt(vaultCards.token, afterToken)))
      .orderBy(asc(vaultCards.token))
      .limit(limit);
  }

  /**
   * Replaces a card's box by one sealed to another key, only if it is still sealed to `fromKeyId`
   * (two rotations at once do not undo each other). True when this call changed it.
   */
  async reseal(
    token: string,
    fromKeyId: string,
    box: { keyId: string; panEnc: string; panCt: string },
  ): Promise<boolean> {
    const changed = await this.h.db
      .update(vaultCards)
      .set({ ...box, resealedAt: new Date() })
      .where(and(eq(vaultCards.token, token), eq(vaultCards.keyId, fromKeyId)))
      .returning({ token: vaultCards.token });
    return changed.length === 1;
  }

  /**
   * Forgets references (a customer's erasure) and deletes, with its sealed number, every card
   * that no reference names any more; a card another reference still names stays. One
   * transaction; idempotent (an unknown reference counts nothing).
   */
  async eraseRefs(refs: string[]): Promise<{ refsErased: number; cardsErased: number }> {
    if (refs.length === 0) return { refsErased: 0, cardsErased: 0 };
    return this.h.db.transaction(async (tx) => {
      const gone = await tx
        .delete(vaultRefs)
        .where(inArray(vaultRefs.ref, refs))
        .returning({ token: vaultRefs.token });
      const tokens = [...new Set(gone.map((g) => g.token))];
      if (tokens.length === 0) return { refsErased: 0, cardsErased: 0 };
      const cards = await tx
        .delete(vaultCards)
        .where(and(inArray(vaultCards.token, tokens), this.unreferenced(tx)))
        .returning({ token: vaultCards.token });
      return { refsErased: gone.length, cardsErased: cards.length };
    });
  }

  /**
   * Retention: references first seen before `before` (at most `limit`), then the cards no
   * reference names any more. How many of each went.
   */
  async purgeBefore(before: Date, limit: number): Promise<{ refs: number; cards: number }> {
    return this.h.db.transaction(async (tx) => {
      const old = tx
        .select({ ref: vaultRefs.ref })
        .from(vaultRefs)
        .where(lt(vaultRefs.firstSeen, before))
        .limit(limit);
      const refs = await tx
        .delete(vaultRefs)
        .where(inArray(vaultRefs.ref, old))
        .returning({ ref: vaultRefs.ref });
      const cards = await tx
        .delete(vaultCards)
        .where(this.unreferenced(tx))
        .returning({ token: vaultCards.token });
      return { refs: refs.length, cards: cards.length };
    });
  }

  private unreferenced(tx: Pick<DbHandle['db'], 'select'>) {
    return notExists(
      tx
        .select({ one: vaultRefs.ref })
        .from(vaultRefs)
        .where(eq(vaultRefs.token, vaultCards.token)),
    );
  }

  /** How many cards each key holds (what a rotation still has to move). */
  async countByKey(): Promise<Record<string, number>> {
    const rows = await this.h.db
      .select({ keyId: vaultCards.keyId, n: count() })
      .from(vaultCards)
      .groupBy(vaultCards.keyId);
    return Object.fromEntries(rows.map((r) => [r.keyId, r.n]));
  }
}
