import { createHash, randomInt } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Db } from '../database';
import { isUniqueViolation } from '../db-errors';
import { auditLog } from '../schema';
import type { AuditChainTable } from './audit-chain.schema';

export type { AuditChainTable };
export type AuditRow = AuditChainTable['$inferSelect'];

/** One record to append: ids and codes only, never personal data. */
export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  detail?: Record<string, string | number | boolean>;
}

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

/**
 * Verifies the whole chain of `table` (audit_log unless told), oldest first, a page at a time
 * (memory stays flat on a long log).
 */
export async function verifyAuditChain(
  db: Db,
  pageSize = 1000,
  table: AuditChainTable = auditLog,
): Promise<ChainVerification> {
  const v = new ChainVerifier();
  for (let after = 0; ;) {
    const page = await db
      .select()
      .from(table)
      .where(gt(table.seq, after))
      .orderBy(asc(table.seq))
      .limit(pageSize);
    for (const r of page) if (!v.feed(r)) return v.verification;
    const last = page[page.length - 1];
    if (page.length < pageSize || !last) return v.verification;
    after = last.seq;
  }
}

/** Retries on a lost race for the seq (a writer that did not take the lock). */
const MAX_ATTEMPTS = 20;

/**
 * Appends one record to the chain of `table`. Writers (every instance of every app writing to it)
 * take a transaction-scoped advisory lock (`lockKey`, one per table), read the head and insert the
 * next seq; seq is the primary key, so even a writer without the lock cannot fork the chain (it
 * loses the insert and retries on top of the winner).
 */
export async function appendToAuditChain(
  db: Db,
  table: AuditChainTable,
  lockKey: number,
  entry: AuditEntry,
): Promise<AuditRow> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendOnce(db, table, lockKey, entry);
    } catch (e) {
      if (attempt >= MAX_ATTEMPTS || !isUniqueViolation(e)) throw e;
      // A little jitter so the same losers do not collide again in lockstep.
      await delay(randomInt(0, Math.min(attempt, 10) + 1));
    }
  }
}

async function appendOnce(
  db: Db,
  table: AuditChainTable,
  lockKey: number,
  entry: AuditEntry,
): Promise<AuditRow> {
  return db.transaction(async (tx) => {
    // Writers queue here instead of colliding on the seq (a burst of views from every console
    // instance would otherwise retry in a storm); the unique seq stays the final guard.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${lockKey})`);
    const last = (
      await tx
        .select({ seq: table.seq, hash: table.hash })
        .from(table)
        .orderBy(desc(table.seq))
        .limit(1)
    )[0];
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail ?? {},
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const [stored] = await tx
      .insert(table)
      .values({ ...row, prevHash, hash: auditHash(prevHash, row) })
      .returning();
    return stored!;
  });
}
