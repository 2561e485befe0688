import { createHash } from 'node:crypto';
import { asc, gt } from 'drizzle-orm';
import type { Db } from '../database';
import { auditLog } from '../schema';

export type AuditRow = typeof auditLog.$inferSelect;

/** The prev_hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** Why the chain breaks at a record. */
export type ChainBreakReason = 'gap' | 'prev_hash_mismatch' | 'hash_mismatch';

export interface ChainVerification {
  /** Records read and found to follow from their predecessor. */
  checked: number;
  /** The first seq where the chain breaks (for a gap: the missing seq), or null. */
  brokenAt: number | null;
  reason: ChainBreakReason | null;
  /** The last record that holds: note it outside the database to detect a rewritten tail later. */
  head: { seq: number; hash: string } | null;
}

export const CHAIN_BREAK_EXPLAINED: Record<ChainBreakReason, string> = {
  gap: 'the record is missing (deleted)',
  prev_hash_mismatch:
    'its prev_hash is not the hash of the record before it (that record was changed or replaced)',
  hash_mismatch: 'its content does not match its hash (the record was changed)',
};

/**
 * Objects as [key, value] pairs sorted by UTF-16 code unit, at every depth: the same text on every
 * machine (no locale) and after jsonb reorders keys. Flat objects hash as they always did.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, canonical(v)]);
  }
  return value;
}

/** SHA-256 over the previous hash and every other field of the record. */
export function auditHash(prevHash: string, r: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  const text = JSON.stringify([
    r.seq,
    r.at.toISOString(),
    r.actor,
    r.action,
    r.subject,
    canonical(r.detail),
  ]);
  return createHash('sha256').update(prevHash).update(text).digest('hex');
}

/** Checks records fed in seq order; stops at the first break. */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private expectedSeq = 1;
  private result: ChainVerification = { checked: 0, brokenAt: null, reason: null, head: null };

  /** False once the chain is broken (feed no more). */
  feed(r: AuditRow): boolean {
    if (this.result.reason) return false;
    const { hash, prevHash, ...rest } = r;
    const reason: ChainBreakReason | null =
      r.seq !== this.expectedSeq
        ? 'gap'
        : prevHash !== this.prev
          ? 'prev_hash_mismatch'
          : auditHash(prevHash, rest) !== hash
            ? 'hash_mismatch'
            : null;
    if (reason) {
      this.result = { ...this.result, brokenAt: this.expectedSeq, reason };
      return false;
    }
    this.result = { ...this.result, checked: this.result.checked + 1, head: { seq: r.seq, hash } };
    this.prev = hash;
    this.expectedSeq++;
    return true;
  }

  get verification(): ChainVerification {
    return this.result;
  }
}

/** Verifies the whole chain, oldest first, a page at a time (memory stays flat on a long log). */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainVerification> {
  const v = new ChainVerifier();
  for (let after = 0; ;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, after))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    for (const r of page) if (!v.feed(r)) return v.verification;
    const last = page[page.length - 1];
    if (page.length < pageSize || !last) return v.verification;
    after = last.seq;
  }
}
