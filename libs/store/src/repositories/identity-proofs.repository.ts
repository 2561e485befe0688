import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { identityProofs } from '../context.schema';
import { customers } from '../schema';

export type IdentityProofRow = typeof identityProofs.$inferSelect;

/**
 * One-time proofs of who owns a channel address (link codes shown in the app, OTPs sent to a
 * bank-verified address). Only keyed hashes of the codes are stored; a proof is used at most once.
 */
@Injectable()
export class IdentityProofsRepository {
  constructor(private readonly h: DbHandle) {}

  /** Our customer row for a core-banking customer (created, with no name, when missing). Race-free. */
  async customerIdForCoreRef(coreRef: string): Promise<string> {
    await this.h.db
      .insert(customers)
      .values({ id: randomUUID(), kind: 'customer', coreRef })
      .onConflictDoNothing();
    const id = await this.findCustomerIdByCoreRef(coreRef);
    if (!id) throw new Error('customer row vanished');
    return id;
  }

  async findCustomerIdByCoreRef(coreRef: string): Promise<string | null> {
    const rows = await this.h.db
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.coreRef, coreRef))
      .limit(1);
    return rows[0]?.id ?? null;
  }

  /** A new app link code for the customer; the customer's earlier unused codes stop working. */
  async issueLink(input: {
    customerId: string;
    codeHash: string;
    expiresAt: Date;
  }): Promise<IdentityProofRow> {
    return this.h.db.transaction(async (tx) => {
      await tx
        .update(identityProofs)
        .set({ expiresAt: new Date() })
        .where(
          and(
            eq(identityProofs.customerId, input.customerId),
            eq(identityProofs.kind, 'link'),
            isNull(identityProofs.usedAt),
          ),
        );
      const [row] = await tx
        .insert(identityProofs)
        .values({ kind: 'link', ...input })
        .returning();
      return row!;
    });
  }

  /** An OTP that may link only `channel` + `addressIndex`; earlier OTPs for that address stop working. */
  async issueOtp(input: {
    customerId: string;
    codeHash: string;
    channel: string;
    addressIndex: string;
    expiresAt: Date;
  }): Promise<IdentityProofRow> {
    return this.h.db.transaction(async (tx) => {
      await tx
        .update(identityProofs)
        .set({ expiresAt: new Date() })
        .where(
          and(
            eq(identityProofs.kind, 'otp'),
            eq(identityProofs.channel, input.channel),
            eq(identityProofs.addressIndex, input.addressIndex),
            isNull(identityProofs.usedAt),
          ),
        );
      const [row] = await tx
        .insert(identityProofs)
        .values({ kind: 'otp', ...input })
        .returning();
      return row!;
    });
  }

  /** The link proof with this code hash, used or not (a redelivered message finds its own). */
  async findLinkByHash(codeHash: string): Promise<IdentityProofRow | null> {
    const rows = await this.h.db
      .select()
      .from(identityProofs)
      .where(and(eq(identityProofs.kind, 'link'), eq(identityProofs.codeHash, codeHash)))
      .orderBy(desc(identityProofs.createdAt))
      .limit(1);
    return rows[0] ?? null;
  }

  /** The unused, unexpired OTP waiting for this channel address, if any. */
  async findPendingOtp(
    channel: string,
    addressIndex: string,
    now = new Date(),
  ): Promise<IdentityProofRow | null> {
    const rows = await this.h.db
      .select()
      .from(identityProofs)
      .where(
        and(
          eq(identityProofs.kind, 'otp'),
          eq(identityProofs.channel, channel),
          eq(identityProofs.addressIndex, addressIndex),
          isNull(identityProofs.usedAt),
          gt(identityProofs.expiresAt, now),
        ),
      )
      .limit(1);
    return rows[0] ?? null;
  }

  /** Marks the proof used; false when another delivery used it first (single use). */
  async markUsed(id: string): Promise<boolean> {
    const rows = await this.h.db
      .update(identityProofs)
      .set({ usedAt: new Date() })
      .where(and(eq(identityProofs.id, id), isNull(identityProofs.usedAt)))
      .returning({ id: identityProofs.id });
    return rows.length === 1;
  }

  /** One more wrong code typed against this proof; returns the new count. */
  async countAttempt(id: string): Promise<number> {
    const rows = await this.h.db
      .update(identityProofs)
      .set({ attempts: sql`${identityProofs.attempts} + 1` })
      .where(eq(identityProofs.id, id))
      .returning({ attempts: identityProofs.attempts });
    return rows[0]?.attempts ?? 0;
  }
}
